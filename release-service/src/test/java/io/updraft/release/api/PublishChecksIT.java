package io.updraft.release.api;

import io.updraft.testsupport.TestKafka;
import io.updraft.events.Topics;
import static io.updraft.release.NothingStored.assertNothingStored;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.ReleaseRows;
import io.updraft.release.service.signing.TestSigner;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What CI sends is checked before anything is kept: expected sha256, signatures, size, upgrade path, duplicates.
 * Every refusal is a clear 4xx problem and leaves no row, no stored bytes and no spooled file.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class PublishChecksIT {
    @Inject
    DataSource dataSource;
    @TestHTTPResource
    URL service;

    @Test
    void givenTheSha256CiComputed_whenTheUploadMatches_thenPublished() {
        byte[] image = randomBytes(3_000);

        publishWith(uniqueName(), image, "sha256", hex("SHA-256", image).toUpperCase())
                .statusCode(201).body("artifacts[0].sha256", equalTo(hex("SHA-256", image)));
    }

    @Test
    void givenTheSha256CiComputed_whenTheUploadDiffers_then422AndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(3_000);

        publishWith(name, image, "sha256", hex("SHA-256", randomBytes(3_000)))
                .statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("expected"));
        publishWith(name, image, "sha256", "not-a-hash").statusCode(400);

        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenADetachedSignatureByTheTrustedKey_whenPublishing_thenTheArtifactRecordsItsSigner() throws Exception {
        byte[] image = randomBytes(5_000);

        publishRequest(metadata(uniqueName(), "1.0.0"))
                .multiPart("file", "fw.swu", image, "application/octet-stream")
                .multiPart("signature", "fw.swu.sig", TestSigner.trusted().cms(image), "application/octet-stream")
                .post("/api/v1/releases")
                .then().statusCode(201)
                .body("artifacts[0].signedBy", containsString("updraft test release signer"));
    }

    @Test
    void givenABadSignature_whenPublishing_then422AndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(5_000);

        for (byte[] signature : new byte[][] { TestSigner.untrusted().cms(image),
                TestSigner.trusted().cms(randomBytes(5_000)), "not a signature".getBytes(StandardCharsets.UTF_8) }) {
            publishRequest(metadata(name, "1.0.0"))
                    .multiPart("file", "fw.swu", image, "application/octet-stream")
                    .multiPart("signature", "fw.swu.sig", signature, "application/octet-stream")
                    .post("/api/v1/releases")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("detail", containsString("trusted key"));
        }

        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenASignedSwu_whenPublishedWithoutADetachedSignature_thenItsEmbeddedSignatureIsChecked() throws Exception {
        byte[] description = ("software = { version = \"" + uniqueName() + "\"; };").getBytes(StandardCharsets.UTF_8);
        byte[] rootfs = randomBytes(20_000);
        byte[] good = TestSigner.swu(description, TestSigner.trusted().cms(description), rootfs);
        byte[] forged = TestSigner.swu(description, TestSigner.untrusted().cms(description), rootfs);
        String forgedName = uniqueName();

        publish(metadata(uniqueName(), "1.0.0"), "fw.swu", good)
                .statusCode(201).body("artifacts[0].signedBy", containsString("updraft test release signer"));
        publish(metadata(forgedName, "1.0.0"), "fw.swu", forged)
                .statusCode(422).body("detail", containsString("sw-description.sig"));
        publish(metadata(uniqueName(), "1.0.0"), "plain.bin", randomBytes(100))
                .statusCode(201).body("artifacts[0].signedBy", nullValue());

        assertNothingStored(dataSource, forgedName, forged);
    }

    @Test
    void givenAnUploadAnnouncingMoreThanTheLimit_whenPublishing_then413BeforeTheBodyIsReadAndNothingStored()
            throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(64 * 1024);
        String response;
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/releases HTTP/1.1\r\nHost: " + service.getHost() + "\r\n"
                    + "Authorization: Bearer " + token("publisher") + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\n"
                    + "Content-Length: " + (1200L * 1024 * 1024) + "\r\n\r\n"
                    + "--x\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                    + metadata(name, "1.0.0").strip()
                    + "\r\n--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fw.swu\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(image);
            out.flush();
            InputStream in = socket.getInputStream();
            // the service answers and closes the connection: reading to the end proves it did not wait for 1.2 GB
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 413");
        assertThat(response).contains("application/problem+json").contains("updraft.upload.max-size");
        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenAPublishedRelease_whenOtherFilesArriveUnderTheSameNameAndVersion_then409AndNothingStored()
            throws Exception {
        String name = uniqueName();
        String id = publish(metadata(name, "1.0.0"), "fw.swu", randomBytes(1_000)).statusCode(201).extract().path("id");
        byte[] other = randomBytes(1_000);

        publish(metadata(name, "1.0.0"), "fw.swu", other).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("different artifacts"));

        ReleaseRows rows = new ReleaseRows(dataSource);
        assertThat(rows.releasesNamed(name)).isEqualTo(1);
        assertThat(rows.artifactsWithSha256(hex("SHA-256", other))).isZero();
        assertThat(STORE.resolve(hex("SHA-256", other))).doesNotExist();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, id).size() == 1);
        assertThat(rows.outboxRowsMentioning(name)).as("no second event waiting").isZero();
        assertThat(TestKafka.recordsMentioning(Topics.RELEASES, name)).as("only the first release was announced").hasSize(1);
    }

    @Test
    void givenAMinimumInstalledVersionNotBelowTheVersion_whenPublishing_then422AndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(1_000);
        String metadata = """
                {"name":"%s","version":"2.0.0-rc.1","minInstalledVersion":"2.0.0","hardware":[{"model":"gw-100","revision":"1.0"}]}
                """.formatted(name);

        publish(metadata, "fw.swu", image).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("minInstalledVersion"));

        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenLabelsAndAnUpgradePath_whenPublishing_thenTheyAreShown() {
        String metadata = """
                {"name":"%s","version":"2.0.0","minInstalledVersion":"1.4.0","labels":{"channel":"beta","git/sha":"abc123"},
                 "hardware":[{"model":"gw-100","revision":"1.0"}]}
                """.formatted(uniqueName());

        publish(metadata, "fw.swu", randomBytes(100)).statusCode(201)
                .body("minInstalledVersion", equalTo("1.4.0"))
                .body("labels.channel", equalTo("beta"))
                .body("labels.'git/sha'", equalTo("abc123"));
    }

    @Test
    void givenAPublishedRelease_whenTheSameFilesComeWithOtherHardware_then409() throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(1_000);
        publish(metadata(name, "1.0.0"), "fw.swu", image).statusCode(201);
        String otherHardware = """
                {"name":"%s","version":"1.0.0","hardware":[{"model":"gw-300","revision":"1.0"}]}
                """.formatted(name);

        publish(otherHardware, "fw.swu", image).statusCode(409).body("detail", containsString("hardware"));

        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isEqualTo(1);
    }

    private ValidatableResponse publishWith(String name, byte[] image, String part, String value) {
        return publishRequest(metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", image, "application/octet-stream")
                .multiPart(part, value)
                .post("/api/v1/releases")
                .then();
    }
}
