package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.NothingStored.assertNothingStored;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.publishRequest;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.ReleaseRows;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a problem document and changes nothing: no rows, no stored bytes, no spooled files left over. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ReleaseValidationIT {
    @Inject
    DataSource dataSource;
    @TestHTTPResource
    URL service;

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

        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenMetadataThatIsNotJson_whenPublishing_then400AndNothingIsStored() throws Exception {
        byte[] image = randomBytes(2_000);

        publish("{not json", "fw.swu", image)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("metadata"));

        assertNothingStored(dataSource, "{not json", image);
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

        assertNothingStored(dataSource, "", image);
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

        assertNothingStored(dataSource, name, first);
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

        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenATextPartLargerThan64KiB_whenPublishing_then400BeforeTheRestOfTheBodyIsRead() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(64 * 1024);
        String response;
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // announces 50 MB but sends the oversized metadata part and the start of a file only: an answer (and the
            // connection closed after it) proves the service refused mid-body instead of waiting for the rest
            out.write(("POST /api/v1/releases HTTP/1.1\r\nHost: " + service.getHost() + "\r\n"
                    + "Authorization: Bearer " + token("publisher") + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 50000000\r\n\r\n"
                    + "--x\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                    + metadata(name, "1.0.0").strip() + " ".repeat(70_000)
                    + "\r\n--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fw.swu\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(image);
            out.flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json")
                .contains("larger than 64 KiB");
        assertNothingStored(dataSource, name, image);
    }
}
