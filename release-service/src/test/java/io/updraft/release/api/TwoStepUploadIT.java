package io.updraft.release.api;

import io.updraft.testsupport.TestKafka;
import io.updraft.events.Topics;
import static io.restassured.RestAssured.given;
import static io.updraft.release.NothingStored.assertNothingStored;
import static io.updraft.release.ReleaseFixtures.STORE;
import static io.updraft.release.ReleaseFixtures.hex;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publishRequest;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.release.ReleaseRows;
import io.updraft.release.service.ExpiredUploads;
import io.updraft.release.service.signing.TestSigner;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The two-step upload CI systems know from S3 pre-signed URLs: announce the file, PUT its bytes to the URL answered,
 * then publish a release that references the upload. Real PostgreSQL, Kafka and filesystem store.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class TwoStepUploadIT {
    private static final Path STAGED = STORE.resolve(".uploads");

    @Inject
    DataSource dataSource;
    @Inject
    ExpiredUploads expiredUploads;
    @TestHTTPResource
    URL service;

    @Test
    void givenAnAnnouncedUpload_whenItsBytesArePutAndAReleaseReferencesIt_thenTheReleaseHoldsThemWithTheirHashes()
            throws Exception {
        byte[] image = randomBytes(400_000);
        String sha256 = hex("SHA-256", image);
        JsonPath ticket = announce("{\"name\":\"gw-firmware.swu\",\"size\":" + image.length + ",\"sha256\":\""
                + sha256.toUpperCase() + "\"}").statusCode(201).extract().jsonPath();
        String uploadId = ticket.getString("uploadId");
        assertThat(ticket.getString("uploadUrl")).startsWith(service.toString().replaceAll("/$", "")
                + "/api/v1/uploads/" + uploadId + "?token=");
        assertThat(Instant.parse(ticket.getString("expiresAt"))).isAfter(Instant.now().plus(Duration.ofMinutes(50)));

        // no bearer token: the URL is the credential
        given().contentType("application/octet-stream").body(image).put(ticket.getString("uploadUrl"))
                .then().statusCode(200)
                .body("state", equalTo("RECEIVED"))
                .body("size", is(image.length))
                .body("sha256", equalTo(sha256))
                .body("sha1", equalTo(hex("SHA-1", image)))
                .body("md5", equalTo(hex("MD5", image)));
        assertThat(Files.readAllBytes(STAGED.resolve(uploadId))).isEqualTo(image);
        assertThat(STORE.resolve(sha256)).doesNotExist();

        String name = uniqueName();
        String releaseId = publishRequest(metadata(name, "1.0.0"))
                .multiPart("artifacts", "[{\"uploadId\":\"" + uploadId + "\",\"part\":\"app\",\"sha256\":\"" + sha256
                        + "\"}]")
                .post("/api/v1/releases")
                .then().statusCode(201)
                .body("artifacts[0].filename", equalTo("gw-firmware.swu"))
                .body("artifacts[0].part", equalTo("app"))
                .body("artifacts[0].size", is(image.length))
                .body("artifacts[0].sha256", equalTo(sha256))
                .body("artifacts[0].md5", equalTo(hex("MD5", image)))
                .extract().path("id");

        assertThat(Files.readAllBytes(STORE.resolve(sha256))).isEqualTo(image);
        assertThat(STAGED.resolve(uploadId)).doesNotExist();
        showUpload(uploadId).statusCode(200).body("state", equalTo("USED")).body("releaseId", equalTo(releaseId));
        ReleasePublished event = (ReleasePublished) EventJson.read(await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, releaseId), records -> records.size() == 1).get(0).value(),
                ReleaseEvent.class);
        assertThat(event.artifacts()).singleElement().satisfies(a -> assertThat(a.sha256()).isEqualTo(sha256));
    }

    @Test
    void givenAnUploadUrl_whenItsTokenIsWrongOrMissingOrTheUploadIsUnknown_thenRefusedAndTheUploadWaits() {
        byte[] image = randomBytes(1_000);
        JsonPath ticket = announce("{\"name\":\"fw.swu\"}").statusCode(201).extract().jsonPath();
        String uploadId = ticket.getString("uploadId");
        String base = ticket.getString("uploadUrl").substring(0, ticket.getString("uploadUrl").indexOf('?'));

        put(base + "?token=not-the-token", image).statusCode(403).contentType("application/problem+json");
        put(base, image).statusCode(403);
        put(base.replace(uploadId, "00000000-0000-4000-8000-000000000000") + "?token=x", image).statusCode(404);
        // a stranger's body is never read, however small: the answer closes the connection (no body sent here, so
        // the client cannot be caught writing when it closes)
        put(base + "?token=not-the-token", new byte[0]).statusCode(403).header("Connection", equalTo("close"));

        showUpload(uploadId).statusCode(200).body("state", equalTo("CREATED"));
        assertThat(STAGED.resolve(uploadId)).doesNotExist();
    }

    @Test
    void givenAnAnnouncedSha256OrSize_whenOtherBytesArrive_then422NothingStagedAndTheUrlCanBeRetried()
            throws Exception {
        byte[] image = randomBytes(5_000);
        JsonPath ticket = announce("{\"name\":\"fw.swu\",\"sha256\":\"" + hex("SHA-256", image) + "\"}")
                .statusCode(201).extract().jsonPath();
        String uploadId = ticket.getString("uploadId");
        byte[] corrupt = image.clone();
        corrupt[4_321] ^= 1;

        put(ticket.getString("uploadUrl"), corrupt).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("expected"));
        assertThat(STAGED.resolve(uploadId)).doesNotExist();
        assertThat(STORE.resolve(hex("SHA-256", corrupt))).doesNotExist();
        showUpload(uploadId).statusCode(200).body("state", equalTo("CREATED"));

        put(ticket.getString("uploadUrl"), image).statusCode(200).body("state", equalTo("RECEIVED"));
        // refused before the bytes are read; a small body is still read to its end, so the client hears the 409 on a
        // connection that stays open instead of a reset while it sends (CI saw "broken pipe" here)
        put(ticket.getString("uploadUrl"), image).statusCode(409).body("detail", containsString("already received"))
                .header("Connection", org.hamcrest.Matchers.nullValue());

        JsonPath sized = announce("{\"name\":\"fw.swu\",\"size\":10}").statusCode(201).extract().jsonPath();
        put(sized.getString("uploadUrl"), randomBytes(11)).statusCode(422).body("detail", containsString("announced"));
        assertThat(STAGED.resolve(sized.getString("uploadId"))).doesNotExist();
    }

    @Test
    void givenArtifactRolesOnUploadReferences_whenPublished_thenEachRoleIsStoredShownAndAnnounced() throws Exception {
        String delta = receivedUpload("fw-delta.swu", randomBytes(3_000));
        String full = receivedUpload("fw-full.swu", randomBytes(3_000));
        String plain = receivedUpload("fw-plain.swu", randomBytes(3_000));
        String name = uniqueName();

        String releaseId = publishWith(name, "[{\"uploadId\":\"" + delta + "\",\"role\":\" delta \"},"
                + "{\"uploadId\":\"" + full + "\",\"role\":\"full\"},{\"uploadId\":\"" + plain + "\"}]")
                .statusCode(201)
                .body("artifacts.find { it.filename == 'fw-delta.swu' }.role", equalTo("delta"))
                .body("artifacts.find { it.filename == 'fw-full.swu' }.role", equalTo("full"))
                .body("artifacts.find { it.filename == 'fw-plain.swu' }.role", equalTo("full"))
                .extract().path("id");

        given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + releaseId).then().statusCode(200)
                .body("artifacts.find { it.filename == 'fw-delta.swu' }.role", equalTo("delta"));
        assertThat(storedRoles(releaseId)).containsExactly("fw-delta.swu=delta", "fw-full.swu=full",
                "fw-plain.swu=full");
        ReleasePublished event = (ReleasePublished) EventJson.read(await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, releaseId), records -> records.size() == 1)
                .get(0).value(), ReleaseEvent.class);
        assertThat(event.artifacts()).extracting(a -> a.filename() + "=" + a.role())
                .containsExactlyInAnyOrder("fw-delta.swu=delta", "fw-full.swu=full", "fw-plain.swu=full");
    }

    @Test
    void givenAPublishedRelease_whenPublishedAgainWithOtherRoles_then409AndNothingChanges() throws Exception {
        String first = receivedUpload("a.swu", randomBytes(2_000));
        String second = receivedUpload("b.swu", randomBytes(2_000));
        String name = uniqueName();
        String asPublished = "[{\"uploadId\":\"" + first + "\",\"role\":\"delta\"},{\"uploadId\":\"" + second
                + "\"}]";
        String releaseId = publishWith(name, asPublished).statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> new ReleaseRows(dataSource).outboxRowsMentioning(name) == 0); // its event relayed
        String shownBefore = given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + releaseId).then()
                .statusCode(200).extract().asString();

        // the same files, hardware and version: only the roles differ (swapped, then all full)
        for (String roles : new String[] {
                "[{\"uploadId\":\"" + first + "\"},{\"uploadId\":\"" + second + "\",\"role\":\"delta\"}]",
                "[{\"uploadId\":\"" + first + "\",\"role\":\"full\"},{\"uploadId\":\"" + second + "\"}]" }) {
            publishWith(name, roles).statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("different artifact roles"));
        }

        assertThat(storedRoles(releaseId)).containsExactly("a.swu=delta", "b.swu=full");
        assertThat(given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + releaseId).then()
                .statusCode(200).extract().asString()).isEqualTo(shownBefore);
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isOne();
        assertThat(new ReleaseRows(dataSource).outboxRowsMentioning(name)).isZero();
        // and the publish as it was is still the idempotent 200
        publishWith(name, asPublished).statusCode(200).body("id", equalTo(releaseId));
    }

    /** {@code filename=role} of a release's artifact rows, by filename. */
    private java.util.List<String> storedRoles(String releaseId) throws Exception {
        java.util.List<String> roles = new java.util.ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "select filename, role from artifacts where release_id = ? order by filename")) {
            select.setString(1, releaseId);
            try (java.sql.ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    roles.add(rows.getString(1) + "=" + rows.getString(2));
                }
            }
        }
        return roles;
    }

    @Test
    void givenAnUploadUsedByARelease_whenAnotherReleaseReferencesIt_then409ButTheSamePublishRetriedIs200()
            throws Exception {
        String uploadId = receivedUpload("fw.swu", randomBytes(2_000));
        String name = uniqueName();
        String artifacts = "[{\"uploadId\":\"" + uploadId + "\"}]";
        String id = publishRequest(metadata(name, "1.0.0")).multiPart("artifacts", artifacts)
                .post("/api/v1/releases").then().statusCode(201).extract().path("id");

        publishRequest(metadata(name, "1.0.0")).multiPart("artifacts", artifacts)
                .post("/api/v1/releases").then().statusCode(200).body("id", equalTo(id));
        String other = uniqueName();
        publishRequest(metadata(other, "1.0.0")).multiPart("artifacts", artifacts)
                .post("/api/v1/releases").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already used by release " + id));

        assertThat(new ReleaseRows(dataSource).releasesNamed(other)).isZero();
        assertThat(new ReleaseRows(dataSource).outboxRowsMentioning(other)).isZero();
    }

    @Test
    void givenReferencesThatCannotBePublished_whenPublishing_thenClear4xxAndNoRelease() throws Exception {
        String name = uniqueName();
        String waiting = announce("{\"name\":\"fw.swu\"}").statusCode(201).extract().path("uploadId");

        publishWith(name, "[{\"uploadId\":\"" + waiting + "\"}]").statusCode(409)
                .body("detail", containsString("have not arrived"));
        publishWith(name, "[{\"uploadId\":\"00000000-0000-4000-8000-000000000000\"}]").statusCode(422)
                .body("detail", containsString("unknown"));
        publishWith(name, "[{\"uploadId\":\"../../etc/passwd\"}]").statusCode(400);
        publishWith(name, "{not json").statusCode(400).body("detail", containsString("artifacts"));
        String received = receivedUpload("fw.swu", randomBytes(100));
        publishWith(name, "[{\"uploadId\":\"" + received + "\",\"sha256\":\"" + "0".repeat(64) + "\"}]")
                .statusCode(422).body("detail", containsString("expected"));

        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
        showUpload(received).statusCode(200).body("state", equalTo("RECEIVED"));
    }

    @Test
    void givenADetachedSignatureWithTheReference_whenPublishing_thenVerifiedAgainstTheHashesOrRefusedStoringNothing()
            throws Exception {
        byte[] image = randomBytes(30_000);
        String good = receivedUpload("fw.swu", image);
        String goodSignature = Base64.getEncoder().encodeToString(TestSigner.trusted().cms(image));
        String badSignature = Base64.getEncoder().encodeToString(TestSigner.untrusted().cms(image));
        String refusedName = uniqueName();

        publishWith(refusedName, "[{\"uploadId\":\"" + good + "\",\"signature\":\"" + badSignature + "\"}]")
                .statusCode(422).body("detail", containsString("trusted key"));
        assertNothingStored(dataSource, refusedName, image);
        assertThat(STAGED.resolve(good)).as("the upload can still be published").exists();

        publishWith(uniqueName(), "[{\"uploadId\":\"" + good + "\",\"signature\":\"" + goodSignature + "\"}]")
                .statusCode(201).body("artifacts[0].signedBy", containsString("updraft test release signer"));
    }

    @Test
    void givenASignedSwuWithAForgedSignature_whenUploadedAndPublished_then422AndNothingStored() throws Exception {
        byte[] description = ("software = { version = \"" + uniqueName() + "\"; };").getBytes(StandardCharsets.UTF_8);
        byte[] forged = TestSigner.swu(description, TestSigner.untrusted().cms(description), randomBytes(10_000));
        String uploadId = receivedUpload("fw.swu", forged);
        String name = uniqueName();

        publishWith(name, "[{\"uploadId\":\"" + uploadId + "\"}]").statusCode(422)
                .body("detail", containsString("sw-description.sig"));

        assertNothingStored(dataSource, name, forged);
    }

    @Test
    void givenAnExpiredUpload_whenPutOrPublished_then410AndTheSweepRemovesItWithItsStagedBytes() throws Exception {
        byte[] image = randomBytes(3_000);
        String received = receivedUpload("fw.swu", image);
        JsonPath unused = announce("{\"name\":\"fw.swu\"}").statusCode(201).extract().jsonPath();
        String usedId = receivedUpload("used.swu", randomBytes(500));
        publishWith(uniqueName(), "[{\"uploadId\":\"" + usedId + "\"}]").statusCode(201);
        expire(received);
        expire(unused.getString("uploadId"));
        expire(usedId);
        String name = uniqueName();

        publishWith(name, "[{\"uploadId\":\"" + received + "\"}]").statusCode(410)
                .contentType("application/problem+json").body("detail", containsString("expired"));
        put(unused.getString("uploadUrl"), image).statusCode(410);

        assertThat(expiredUploads.removeBatch(Instant.now())).isGreaterThanOrEqualTo(2);

        ReleaseRows rows = new ReleaseRows(dataSource);
        assertThat(rows.uploadsWithId(received)).isZero();
        assertThat(rows.uploadsWithId(unused.getString("uploadId"))).isZero();
        assertThat(rows.uploadsWithId(usedId)).as("a used upload is remembered a while longer").isOne();
        assertThat(STAGED.resolve(received)).doesNotExist();
        publishWith(name, "[{\"uploadId\":\"" + received + "\"}]").statusCode(422)
                .body("detail", containsString("expired and removed"));
        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenAnUploadLargerThanTheLimit_whenAnnouncedOrPut_then413BeforeItsBytesAndNothingStaged() throws Exception {
        announce("{\"name\":\"fw.swu\",\"size\":" + (2L << 30) + "}").statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("updraft.upload.max-size"));
        JsonPath ticket = announce("{\"name\":\"fw.swu\"}").statusCode(201).extract().jsonPath();
        URL url = new URL(ticket.getString("uploadUrl"));

        String response;
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + (1200L * 1024 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(randomBytes(64 * 1024));
            out.flush();
            InputStream in = socket.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json");
        showUpload(ticket.getString("uploadId")).statusCode(200).body("state", equalTo("CREATED"));
        assertThat(STAGED.resolve(ticket.getString("uploadId"))).doesNotExist();
    }

    @Test
    void givenCallersWithoutThePublisherRole_whenAnnouncingOrShowing_then401Or403() {
        given().contentType("application/json").body("{\"name\":\"fw.swu\"}").post("/api/v1/uploads")
                .then().statusCode(401);
        given().auth().oauth2(token("viewer")).contentType("application/json").body("{\"name\":\"fw.swu\"}")
                .post("/api/v1/uploads").then().statusCode(403);
        given().auth().oauth2(token("operator")).get("/api/v1/uploads/00000000-0000-4000-8000-000000000000")
                .then().statusCode(403);
        announce("{\"name\":\"../\"}").statusCode(400).contentType("application/problem+json");
        announce("{\"name\":\"fw.swu\",\"sha256\":\"abc\"}").statusCode(400);
    }

    @Test
    void givenTheApiBehindAGatewayPrefix_whenAnUploadIsAnnounced_thenItsUrlGoesBackThroughThatPrefix() {
        // deploy/'s HTTPRoute serves release-service under https://<api host>/release and rewrites the prefix away,
        // telling the service with X-Forwarded-Prefix (and the scheme and host it was reached at)
        JsonPath ticket = given().auth().oauth2(token("publisher")).contentType("application/json")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.updraft.test")
                .header("X-Forwarded-Prefix", "/release")
                .body("{\"name\":\"behind-gateway.swu\",\"size\":3}").post("/api/v1/uploads")
                .then().statusCode(201).extract().jsonPath();
        assertThat(ticket.getString("uploadUrl")).startsWith(
                "https://api.updraft.test/release/api/v1/uploads/" + ticket.getString("uploadId") + "?token=");
    }

    private ValidatableResponse announce(String body) {
        return given().auth().oauth2(token("publisher")).contentType("application/json").body(body)
                .post("/api/v1/uploads").then();
    }

    private static ValidatableResponse put(String url, byte[] bytes) {
        return given().contentType("application/octet-stream").body(bytes).put(url).then();
    }

    private static ValidatableResponse showUpload(String uploadId) {
        return given().auth().oauth2(token("publisher")).get("/api/v1/uploads/" + uploadId).then();
    }

    private static ValidatableResponse publishWith(String name, String artifacts) {
        return publishRequest(metadata(name, "1.0.0")).multiPart("artifacts", artifacts).post("/api/v1/releases")
                .then();
    }

    private String receivedUpload(String filename, byte[] bytes) {
        JsonPath ticket = announce("{\"name\":\"" + filename + "\"}").statusCode(201).extract().jsonPath();
        put(ticket.getString("uploadUrl"), bytes).statusCode(200).body("uploadId", startsWith(ticket.getString(
                "uploadId")));
        return ticket.getString("uploadId");
    }

    /** Moves an upload's expiry into the past, as if its hour had gone by. */
    private void expire(String uploadId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update uploads set expires_at = now() - interval '1 second' where id = ?")) {
            update.setString(1, uploadId);
            assertThat(update.executeUpdate()).isOne();
        }
    }
}
