package io.updraft.release.rest;

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
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.ReleaseRows;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a problem document and changes nothing: no rows, no stored bytes, no spooled files left over. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ReleaseValidationTest {
    private static final Path SPOOL = STORE.resolve(".incoming");

    @Inject
    DataSource dataSource;

    static Stream<Arguments> invalidMetadata() {
        String hw = "[{\"model\":\"gw-100\",\"revision\":\"1.0\"}]";
        return Stream.of(
                Arguments.of("version", "{\"name\":\"%s\",\"version\":\"1.0\",\"hardware\":" + hw + "}"),
                Arguments.of("version", "{\"name\":\"%s\",\"version\":\"01.0.0\",\"hardware\":" + hw + "}"),
                Arguments.of("version", "{\"name\":\"%s\",\"version\":\"1.0.0-\",\"hardware\":" + hw + "}"),
                Arguments.of("version", "{\"name\":\"%s\",\"hardware\":" + hw + "}"),
                Arguments.of("hardware", "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":[]}"),
                Arguments.of("hardware", "{\"name\":\"%s\",\"version\":\"1.0.0\"}"),
                Arguments.of("hardware[0].model",
                        "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":[{\"model\":\" \",\"revision\":\"1.0\"}]}"),
                Arguments.of("hardware[0].revision",
                        "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":[{\"model\":\"gw-100\"}]}"),
                Arguments.of("name", "{\"name\":\"%s with spaces!\",\"version\":\"1.0.0\",\"hardware\":" + hw + "}"));
    }

    @ParameterizedTest
    @MethodSource("invalidMetadata")
    void givenInvalidMetadata_whenPublishing_then400NamingTheFieldAndNothingIsStored(String field, String template)
            throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(2_000);

        publish(template.formatted(name), "fw.swu", image)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("errors.field", hasItem(field));

        assertNothingStored(name, image);
    }

    @Test
    void givenMetadataThatIsNotJson_whenPublishing_then400AndNothingIsStored() throws Exception {
        byte[] image = randomBytes(2_000);

        publish("{not json", "fw.swu", image)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("metadata"));

        assertNothingStored("{not json", image);
    }

    @Test
    void givenNoFile_whenPublishing_then400AndNoRelease() throws Exception {
        String name = uniqueName();

        publishRequest(metadata(name, "1.0.0"))
                .when().post("/api/v1/releases")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("file"));

        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
    }

    @Test
    void givenNoMetadata_whenPublishing_then400AndNothingIsStored() throws Exception {
        byte[] image = randomBytes(2_000);

        given().auth().oauth2(token("publisher"))
                .multiPart("file", "fw.swu", image, "application/octet-stream")
                .when().post("/api/v1/releases")
                .then().statusCode(400)
                .contentType("application/problem+json");

        assertNothingStored("", image);
    }

    @Test
    void givenTheSameFilenameTwice_whenPublishing_then400AndNothingIsStored() throws Exception {
        String name = uniqueName();
        byte[] first = randomBytes(500);

        publishRequest(metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", first, "application/octet-stream")
                .multiPart("file", "fw.swu", randomBytes(500), "application/octet-stream")
                .when().post("/api/v1/releases")
                .then().statusCode(400)
                .contentType("application/problem+json");

        assertNothingStored(name, first);
    }

    @Test
    void givenAnInvalidPartName_whenPublishing_then400AndNothingIsStored() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(500);

        publishRequest(metadata(name, "1.0.0"))
                .multiPart("part", "os/../../etc")
                .multiPart("file", "fw.swu", image, "application/octet-stream")
                .when().post("/api/v1/releases")
                .then().statusCode(400)
                .contentType("application/problem+json");

        assertNothingStored(name, image);
    }

    private void assertNothingStored(String name, byte[] image) throws Exception {
        ReleaseRows rows = new ReleaseRows(dataSource);
        String sha256 = hex("SHA-256", image);
        assertThat(rows.releasesNamed(name)).isZero();
        assertThat(rows.artifactsWithSha256(sha256)).isZero();
        assertThat(STORE.resolve(sha256)).doesNotExist();
        // the spooled upload is deleted when the request ends (the response may be on the wire a moment earlier)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(this::spoolIsEmpty);
    }

    private boolean spoolIsEmpty() throws IOException {
        // the request carried a file, so Quarkus spooled it here: a missing directory would mean it spooled elsewhere
        assertThat(SPOOL).isDirectory();
        try (Stream<Path> files = Files.list(SPOOL)) {
            return files.findAny().isEmpty();
        }
    }
}
