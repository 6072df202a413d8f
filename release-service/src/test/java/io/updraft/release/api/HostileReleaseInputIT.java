package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.NothingStored.assertNothingStored;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.ReleaseRows;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: hostile values at release-service's edge. NUL in a release id, query or text field answered 500 (it reached
 * PostgreSQL); an upload named {@code ../x} was cut to {@code x} and stored. Each is now a 400 problem document and
 * stores nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class HostileReleaseInputIT {
    private static final String HW = "[{\"model\":\"gw-100\",\"revision\":\"1.0\"}]";
    @Inject
    DataSource dataSource;

    @ParameterizedTest
    @ValueSource(strings = { "%00", "a%00b", "a%0D%0Ab", "%1B", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" })
    void givenAHostileReleaseId_whenReadOrChanged_then400ProblemJson(String id) {
        for (String path : new String[] { "", "/publish", "/promote", "/revoke" }) {
            var request = given().urlEncodingEnabled(false).auth().oauth2(token("publisher", "operator", "viewer"));
            (path.isEmpty() ? request.get("/api/v1/releases/" + id) : request.post("/api/v1/releases/" + id + path))
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", is(400));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "name=%00", "name=a%00b", "state=%00", "order=a%00" })
    void givenAHostileQuery_whenListing_then400ProblemJson(String query) {
        given().urlEncodingEnabled(false).auth().oauth2(token("viewer"))
                .get("/api/v1/releases?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    static Stream<String> hostileMetadata() {
        return Stream.of(
                "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":" + HW + ",\"notes\":\"a\\u0000b\"}",
                "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":" + HW + ",\"notes\":\"\\u001b[31m\"}",
                "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":" + HW + ",\"labels\":{\"k\":\"a\\u0000\"}}",
                "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":" + HW + ",\"labels\":{\"k\":\"a\\r\\nb\"}}",
                "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":[{\"model\":\"gw\\u0000\",\"revision\":\"1.0\"}]}",
                "{\"name\":\"%s\",\"version\":\"1.0.0\",\"hardware\":[{\"model\":\"gw\",\"revision\":\"1\\n0\"}]}");
    }

    @ParameterizedTest
    @MethodSource("hostileMetadata")
    void givenNulOrControlCharactersInMetadata_whenPublishing_then400AndNothingStored(String template)
            throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(1_000);

        publish(template.formatted(name), "fw.swu", image)
                .statusCode(400)
                .contentType("application/problem+json");

        assertNothingStored(dataSource, name, image);
    }

    @ParameterizedTest
    @ValueSource(strings = { "../x.swu", "a/b.swu", "..\\\\x.swu", "C:\\\\fw.swu", ".hidden.swu", "fw .swu",
            "fw%2F.swu" })
    void givenAnUploadNamedLikeAPath_whenPublishing_then400AndNothingStored(String filename) throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(1_000);

        publish("{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"hardware\":" + HW + "}", filename, image)
                .statusCode(400)
                .contentType("application/problem+json");

        assertNothingStored(dataSource, name, image);
    }

    @ParameterizedTest
    @ValueSource(strings = { "../x.swu", "a/b.swu", "x\u0000.swu", "x\r\n.swu", ".." })
    void givenAnAnnouncedUploadNamedLikeAPath_then400AndNoUpload(String filename) throws Exception {
        long before = new ReleaseRows(dataSource).uploads();

        given().auth().oauth2(token("publisher")).contentType("application/json")
                .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .defaultContentCharset("UTF-8")))
                .body(java.util.Map.of("name", filename, "size", 10))
                .post("/api/v1/uploads")
                .then().statusCode(400)
                .contentType("application/problem+json");

        org.assertj.core.api.Assertions.assertThat(new ReleaseRows(dataSource).uploads()).isEqualTo(before);
    }

    @Test
    void givenAHostileUploadId_then400ProblemJsonNever500() {
        for (String id : new String[] { "%00", "a%00b", "a%0Ab" }) {
            given().urlEncodingEnabled(false).auth().oauth2(token("publisher"))
                    .get("/api/v1/uploads/" + id)
                    .then().statusCode(400).contentType("application/problem+json");
            given().urlEncodingEnabled(false).body(new byte[] { 1 })
                    .put("/api/v1/uploads/" + id + "?token=x")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }
}
