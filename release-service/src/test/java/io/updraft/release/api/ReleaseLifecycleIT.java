package io.updraft.release.api;

import io.updraft.testsupport.TestKafka;
import io.updraft.events.Topics;
import io.updraft.events.SemVer;
import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.SIGNING_KEY;
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
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import io.updraft.events.ReleaseEvent;
import io.updraft.release.ReleaseRows;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** draft → published → stable / revoked, each move with its event through the outbox. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ReleaseLifecycleIT {
    @Inject
    DataSource dataSource;

    @Test
    void givenAPublishedRelease_whenPromotedThenRevoked_thenEachMoveIsAnEventAndTheRevokedArtifactIsGone()
            throws Exception {
        String id = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", randomBytes(1_000)).statusCode(201)
                .extract().path("id");
        long artifactId = given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + id).then()
                .extract().jsonPath().getLong("artifacts[0].id");

        given().auth().oauth2(token("operator")).post("/api/v1/releases/" + id + "/promote")
                .then().statusCode(200).body("state", equalTo("STABLE"));
        given().auth().oauth2(token("operator")).contentType(ContentType.JSON)
                .body("{\"reason\":\"bricks gw-200 on cold boot\"}")
                .post("/api/v1/releases/" + id + "/revoke")
                .then().statusCode(200)
                .body("state", equalTo("REVOKED"))
                .body("revokedReason", equalTo("bricks gw-200 on cold boot"))
                .body("stateChangedAt", notNullValue());

        List<ReleaseEvent> events = awaitEvents(id, 3);
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ReleasePublished", "ReleaseMarkedStable", "ReleaseRevoked");
        assertThat(((ReleaseEvent.ReleaseRevoked) events.get(2)).reason()).isEqualTo("bricks gw-200 on cold boot");

        String link = new ArtifactUrlSigner(SIGNING_KEY).sign(artifactId, Duration.ofMinutes(5));
        given().get("/internal/v1/artifacts/" + artifactId + "?" + link)
                .then().statusCode(410).contentType("application/problem+json");
    }

    @Test
    void givenARevokedRelease_whenPromotedOrRevokedAgain_then409AndIdempotent200WithoutNewEvents() throws Exception {
        String id = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", randomBytes(100)).statusCode(201)
                .extract().path("id");
        given().auth().oauth2(token("publisher")).post("/api/v1/releases/" + id + "/revoke").then().statusCode(200);

        given().auth().oauth2(token("publisher")).post("/api/v1/releases/" + id + "/promote")
                .then().statusCode(409).contentType("application/problem+json").body("status", is(409));
        given().auth().oauth2(token("publisher")).post("/api/v1/releases/" + id + "/revoke")
                .then().statusCode(200).body("state", equalTo("REVOKED"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> new ReleaseRows(dataSource).outboxRows() == 0);
        assertThat(TestKafka.recordsWithKey(Topics.RELEASES, id)).hasSize(2);
    }

    @Test
    void givenADraft_whenStored_thenNothingIsAnnouncedUntilItIsPublished() throws Exception {
        String id = publishRequest(metadata(uniqueName(), "2.0.0-rc.1"))
                .multiPart("draft", "true")
                .multiPart("file", "fw.swu", randomBytes(100), "application/octet-stream")
                .post("/api/v1/releases").then().statusCode(201).body("state", equalTo("DRAFT"))
                .extract().path("id");
        given().auth().oauth2(token("operator")).post("/api/v1/releases/" + id + "/promote").then().statusCode(409);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> new ReleaseRows(dataSource).outboxRows() == 0);
        assertThat(TestKafka.recordsWithKey(Topics.RELEASES, id)).isEmpty();

        given().auth().oauth2(token("operator")).post("/api/v1/releases/" + id + "/publish").then().statusCode(403);
        given().auth().oauth2(token("publisher")).post("/api/v1/releases/" + id + "/publish")
                .then().statusCode(200).body("state", equalTo("PUBLISHED"));

        assertThat(awaitEvents(id, 1).get(0)).isInstanceOf(ReleaseEvent.ReleasePublished.class);
    }

    @Test
    void givenVersionsPublishedOutOfOrder_whenListedByVersion_thenSemVerPrecedenceHighestFirst() {
        String name = uniqueName();
        for (String version : List.of("1.10.0", "1.2.0", "1.10.0-rc.2", "1.10.0-rc.10", "1.9.0")) {
            publish(metadata(name, version), "fw.swu", randomBytes(10)).statusCode(201);
        }

        given().auth().oauth2(token("viewer")).queryParam("name", name).queryParam("order", "version")
                .get("/api/v1/releases")
                .then().statusCode(200)
                .body("version", contains("1.10.0", "1.10.0-rc.10", "1.10.0-rc.2", "1.9.0", "1.2.0"));
        given().auth().oauth2(token("viewer")).queryParam("order", "version").get("/api/v1/releases")
                .then().statusCode(400);
        given().auth().oauth2(token("viewer")).queryParam("name", name).queryParam("state", "stable")
                .get("/api/v1/releases").then().statusCode(200).body("size()", is(0));
    }

    @Test
    void givenAViewer_whenPromotingOrRevoking_then403() {
        String id = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", randomBytes(10)).statusCode(201)
                .extract().path("id");

        given().auth().oauth2(token("viewer")).post("/api/v1/releases/" + id + "/promote").then().statusCode(403);
        given().auth().oauth2(token("viewer")).post("/api/v1/releases/" + id + "/revoke").then().statusCode(403);
        given().auth().oauth2(token("operator")).post("/api/v1/releases/no-such-id/revoke").then().statusCode(404);
    }

    private static List<ReleaseEvent> awaitEvents(String releaseId, int count) {
        List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, releaseId), found -> found.size() >= count);
        return records.stream().map(r -> EventJson.read(r.value(), ReleaseEvent.class)).toList();
    }
}
