package io.updraft.release.api;

import io.updraft.testsupport.TestKafka;
import io.updraft.events.Topics;
import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.STORE;
import static io.updraft.release.ReleaseFixtures.hex;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.publishRequest;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.ArtifactRef;
import io.updraft.events.EventJson;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.release.ReleaseRows;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ReleasePublishingIT {
    @Inject
    DataSource dataSource;

    @Test
    void givenAPublisher_whenPublishingARelease_thenItIsStoredWithItsHashesAndAnnouncedOnTheReleasesTopic()
            throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(300_000);

        ExtractableResponse<Response> response = publish(metadata(name, "1.1.0"), "gw-firmware.swu", image)
                .statusCode(201)
                .contentType("application/json")
                .body("name", equalTo(name))
                .body("version", equalTo("1.1.0"))
                .body("state", equalTo("PUBLISHED"))
                .body("notes", equalTo("test release"))
                .body("hardware.model", contains("gw-100", "gw-200"))
                .body("hardware.revision", contains("1.0", "*"))
                .body("artifacts.filename", contains("gw-firmware.swu"))
                .body("artifacts[0].part", equalTo("os"))
                .body("artifacts[0].size", is(image.length))
                .body("artifacts[0].sha256", equalTo(hex("SHA-256", image)))
                .body("artifacts[0].sha1", equalTo(hex("SHA-1", image)))
                .body("artifacts[0].md5", equalTo(hex("MD5", image)))
                .extract();
        JsonPath body = response.jsonPath();
        String id = body.getString("id");
        assertThat(response.header("Location")).isEqualTo("/api/v1/releases/" + id);
        long artifactId = body.getLong("artifacts[0].id");
        assertThat(body.getString("createdAt")).isNotBlank();
        assertThat(Files.readAllBytes(STORE.resolve(hex("SHA-256", image)))).isEqualTo(image);

        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, id), records -> records.size() == 1)
                .get(0);
        assertThat(TestKafka.header(record, "ce_type")).isEqualTo("io.updraft.ReleasePublished");
        ReleasePublished event = (ReleasePublished) EventJson.read(record.value(), ReleaseEvent.class);
        assertThat(event.releaseId()).isEqualTo(id);
        assertThat(event.name()).isEqualTo(name);
        assertThat(event.version()).isEqualTo("1.1.0");
        assertThat(event.artifacts()).containsExactly(new ArtifactRef(artifactId, "os", "gw-firmware.swu",
                image.length, hex("SHA-256", image), hex("SHA-1", image), hex("MD5", image), ArtifactRef.FULL));
        assertThat(event.hardware()).containsExactly(new HardwareCompatibility("gw-100", "1.0"),
                new HardwareCompatibility("gw-200", "*"));
    }

    @Test
    void givenSeveralFilesAndAPart_whenPublishing_thenEveryFileIsAnArtifactOfThatPart() {
        byte[] app = randomBytes(2_000);
        byte[] config = randomBytes(100);

        publishRequest(metadata(uniqueName(), "2.0.0-rc.1+build.7"))
                .multiPart("part", "app")
                .multiPart("file", "app.tar", app, "application/octet-stream")
                .multiPart("file", "config.json", config, "application/octet-stream")
                .when().post("/api/v1/releases")
                .then().statusCode(201)
                .body("version", equalTo("2.0.0-rc.1+build.7"))
                .body("artifacts.filename", contains("app.tar", "config.json"))
                .body("artifacts.part", contains("app", "app"))
                .body("artifacts.sha256", contains(hex("SHA-256", app), hex("SHA-256", config)));
    }

    @Test
    void givenPublishedReleases_whenAViewerListsAndShowsThem_thenNewestComesFirstAndTheNameFilters() {
        String name = uniqueName();
        String older = publish(metadata(name, "1.0.0"), "a.swu", randomBytes(10)).statusCode(201).extract().path("id");
        String newer = publish(metadata(name, "1.0.1"), "a.swu", randomBytes(10)).statusCode(201).extract().path("id");
        publish(metadata(uniqueName(), "1.0.0"), "other.swu", randomBytes(10)).statusCode(201);
        String viewer = token("viewer");

        given().auth().oauth2(viewer).queryParam("name", name)
                .when().get("/api/v1/releases")
                .then().statusCode(200)
                .body("id", contains(newer, older))
                .body("version", contains("1.0.1", "1.0.0"));
        given().auth().oauth2(viewer)
                .when().get("/api/v1/releases")
                .then().statusCode(200)
                .body("[0].id", org.hamcrest.Matchers.not(older));
        given().auth().oauth2(token("operator"))
                .when().get("/api/v1/releases/{id}", older)
                .then().statusCode(200)
                .body("id", equalTo(older))
                .body("name", equalTo(name))
                .body("artifacts.filename", contains("a.swu"));
        given().auth().oauth2(viewer)
                .when().get("/api/v1/releases/{id}", "no-such-release")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404));
    }

    @Test
    void givenAPublishedRelease_whenTheSameFilesArePublishedAgain_thenTheExistingReleaseIsReturnedWithoutANewEvent()
            throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(5_000);
        String id = publish(metadata(name, "3.0.0"), "fw.swu", image).statusCode(201).extract().path("id");

        publish(metadata(name, "3.0.0"), "fw.swu", image)
                .statusCode(200)
                .body("id", equalTo(id));

        assertThat(rows().releasesNamed(name)).isEqualTo(1);
        // once the outbox is drained, everything either publish appended is on the topic
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> rows().outboxRows() == 0);
        List<ConsumerRecord<String, String>> records = TestKafka.recordsWithKey(Topics.RELEASES, id);
        assertThat(records).hasSize(1);
    }

    @Test
    void givenTwoPublishersRacing_whenBothPublishTheSameRelease_thenOneCreatesItAndTheOtherGetsIt() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(50_000);
        Callable<ExtractableResponse<Response>> publishOnce = () -> publish(metadata(name, "5.0.0"), "fw.swu", image)
                .extract();

        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            List<Future<ExtractableResponse<Response>>> responses = publishers.invokeAll(List.of(publishOnce, publishOnce));
            List<Integer> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> response : responses) {
                statuses.add(response.get().statusCode());
                ids.add(response.get().path("id"));
            }
            assertThat(statuses).containsExactlyInAnyOrder(201, 200);
            assertThat(ids.get(0)).isEqualTo(ids.get(1));
        } finally {
            publishers.shutdownNow();
        }
        assertThat(rows().releasesNamed(name)).isEqualTo(1);
    }

    @Test
    void givenAPublishedRelease_whenDifferentFilesArePublishedUnderTheSameVersion_then409AndNothingIsStored()
            throws Exception {
        String name = uniqueName();
        publish(metadata(name, "4.0.0"), "fw.swu", randomBytes(1_000)).statusCode(201);
        byte[] other = randomBytes(1_000);

        publish(metadata(name, "4.0.0"), "fw.swu", other)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", is(409));

        assertThat(rows().releasesNamed(name)).isEqualTo(1);
        assertThat(STORE.resolve(hex("SHA-256", other))).doesNotExist();
    }

    @Test
    void givenNoToken_whenCallingTheApi_then401() {
        given().multiPart("metadata", metadata(uniqueName(), "1.0.0"))
                .multiPart("file", "fw.swu", randomBytes(10), "application/octet-stream")
                .when().post("/api/v1/releases")
                .then().statusCode(401);
        given().when().get("/api/v1/releases").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").when().get("/api/v1/releases").then().statusCode(401);
    }

    @Test
    void givenAViewerOnlyToken_whenPublishing_then403AndNothingIsStored() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(1_000);

        given().auth().oauth2(token("viewer"))
                .multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", image, "application/octet-stream")
                .when().post("/api/v1/releases")
                .then().statusCode(403);

        assertThat(rows().releasesNamed(name)).isZero();
        assertThat(STORE.resolve(hex("SHA-256", image))).doesNotExist();
    }

    private ReleaseRows rows() {
        return new ReleaseRows(dataSource);
    }
}
