package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.NothingStored.assertNothingStored;
import static io.updraft.release.ReleaseFixtures.SIGNING_KEY;
import static io.updraft.release.ReleaseFixtures.hex;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.publishRequest;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.Topics;
import io.updraft.release.RawExchange;
import io.updraft.release.RawExchange.Answer;
import io.updraft.release.ReleaseRows;
import io.updraft.release.SmallDiskResource;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The artifact store's disk fills up during an upload. The store is a real filesystem that fills (a tmpfs of 8 MiB,
 * {@link SmallDiskResource}); a filler file the test writes leaves less room than the artifact, before the upload
 * (the service can refuse it from its Content-Length) or in the middle of it (the disk fills while the service
 * writes: ENOSPC mid-stream). Through both ways in — the multipart publish and the two-step upload's PUT — the
 * answer must be a 507 problem naming the release or upload, nothing may be half-published (no row, blob, spooled or
 * temp file, outbox row or event; the free space is what it was), the release stored before must stay downloadable
 * with its hashes, and the same upload must succeed, published exactly once, once the filler is deleted.
 */
@QuarkusTest
@TestProfile(StorageFullIT.SmallDisk.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class StorageFullIT {
    private static final Path STORE = SmallDiskResource.DIR;
    private static final Path SPOOL = STORE.resolve(".incoming");
    private static final Path STAGED = STORE.resolve(".uploads");
    private static final Path FILLER = STORE.resolve("filler.bin");
    private static final int IMAGE = 1024 * 1024;
    private static final int LEFT_FREE = 512 * 1024;
    private static final int FIRST_PART = 256 * 1024;
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String BOUNDARY = "updraft-storage-full";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The artifact store on a small tmpfs instead of target/test-data/artifacts. */
    public static class SmallDisk implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmallDiskResource.class));
        }
    }

    /** A release stored before any disk filled up: it must stay whole and downloadable throughout. */
    private record Resident(long artifactId, String sha256) {
    }

    private static Resident resident;

    @Inject
    DataSource dataSource;
    @TestHTTPResource
    URL service;

    private final ArtifactUrlSigner gateway = new ArtifactUrlSigner(SIGNING_KEY);

    @BeforeEach
    void givenAReleaseStoredBeforeTheDiskFillsUp() throws IOException {
        Files.deleteIfExists(FILLER);
        if (resident == null) {
            byte[] bytes = randomBytes(300_000);
            long artifactId = publish(metadata(uniqueName(), "1.0.0"), "resident.swu", bytes).statusCode(201)
                    .extract().jsonPath().getLong("artifacts[0].id");
            resident = new Resident(artifactId, hex("SHA-256", bytes));
        }
    }

    @AfterEach
    void deleteTheFiller() throws IOException {
        Files.deleteIfExists(FILLER);
    }

    @Test
    void givenAPublishLargerThanTheFreeSpace_whenItsLengthIsAnnounced_then507BeforeTheBody_andItSucceedsOnceFreed()
            throws Exception {
        String name = uniqueName();
        byte[] image = randomBytes(IMAGE);
        byte[] request = multipart(name, Map.of("fw.swu", image));
        long free = fillLeaving(LEFT_FREE);

        Answer refused = RawExchange.send(service, "POST", "/api/v1/releases", publishHeaders(),
                (long) request.length, (out, answered) -> {
                    out.write(request, 0, FIRST_PART);
                    out.flush();
                    awaitEarlyAnswer(answered); // the rest is sent only if the service did not answer from the length
                    out.write(request, FIRST_PART, request.length - FIRST_PART);
                });

        assertStorageFull(refused, "release " + name + " 1.0.0", "fw.swu");
        assertThat(refused.bodyBytesSentBeforeAnswer()).as("answered before the body was sent").isLessThanOrEqualTo(
                FIRST_PART);
        assertNothingStored(dataSource, name, image, STORE);
        assertNothingLeftOnDisk(free);
        assertResidentIntact();

        Files.delete(FILLER);
        Answer retried = RawExchange.send(service, "POST", "/api/v1/releases", publishHeaders(),
                (long) request.length, (out, answered) -> out.write(request));
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        int events = assertPublishedOnce(name, image);
        report("multipart publish, Content-Length " + request.length + " > free space", free, 0, refused,
                retried.status(), events);
    }

    @Test
    void givenAChunkedPublishOfTwoFiles_whenTheDiskFillsWhileTheSecondIsWritten_then507AndNeitherIsKept_thenOnce()
            throws Exception {
        String name = uniqueName();
        byte[] first = randomBytes(200_000);
        byte[] image = randomBytes(IMAGE);
        byte[] request = multipart(name, Map.of("app.swu", first, "fw.swu", image));
        long free = fillLeaving(LEFT_FREE);

        Answer refused = RawExchange.send(service, "POST", "/api/v1/releases", publishHeaders(), null,
                (out, answered) -> writeInPieces(request, out, answered));

        assertStorageFull(refused, "release " + name + " 1.0.0", "fw.swu");
        assertThat(refused.bodyBytesSentBeforeAnswer()).as("the disk filled mid-stream, not before the body")
                .isGreaterThan(LEFT_FREE - 64 * 1024);
        assertNothingStored(dataSource, name, image, STORE);
        assertThat(STORE.resolve(hex("SHA-256", first))).as("the first file, which fitted").doesNotExist();
        assertNothingLeftOnDisk(free);
        assertResidentIntact();

        Files.delete(FILLER);
        Answer retried = RawExchange.send(service, "POST", "/api/v1/releases", publishHeaders(), null,
                (out, answered) -> writeInPieces(request, out, answered));
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        int events = assertPublishedOnce(name, image);
        assertThat(Files.readAllBytes(STORE.resolve(hex("SHA-256", first)))).isEqualTo(first);
        report("multipart publish, chunked (no length), two files, the disk fills during the second", free, 0,
                refused, retried.status(), events);
    }

    @Test
    void givenAnUploadPutLargerThanTheFreeSpace_whenItsLengthIsAnnounced_then507BeforeTheBody_andTheUrlWorksOnceFreed()
            throws Exception {
        byte[] image = randomBytes(IMAGE);
        JsonPath ticket = announce(image);
        String uploadId = ticket.getString("uploadId");
        long free = fillLeaving(LEFT_FREE);

        Answer refused = RawExchange.send(service, "PUT", new URL(ticket.getString("uploadUrl")).getFile(),
                Map.of("Content-Type", "application/octet-stream"), (long) IMAGE, (out, answered) -> {
                    out.write(image, 0, FIRST_PART);
                    out.flush();
                    awaitEarlyAnswer(answered);
                    out.write(image, FIRST_PART, IMAGE - FIRST_PART);
                });

        assertStorageFull(refused, "upload " + uploadId, "fw.swu");
        assertThat(refused.bodyBytesSentBeforeAnswer()).as("answered before the body was sent").isLessThanOrEqualTo(
                FIRST_PART);
        assertUploadWaitsForItsBytes(uploadId, image);
        assertNothingLeftOnDisk(free);
        assertResidentIntact();

        Files.delete(FILLER);
        int[] outcome = putAgainAndPublish(ticket, image);
        report("upload PUT, Content-Length " + IMAGE + " > free space", free, 0, refused, outcome[0], outcome[1]);
    }

    @Test
    void givenAnUploadPut_whenTheDiskFillsWhileItsBytesArrive_then507NothingStaged_andTheUrlWorksOnceFreed()
            throws Exception {
        byte[] image = randomBytes(IMAGE);
        JsonPath ticket = announce(image);
        String uploadId = ticket.getString("uploadId");
        long free = free();
        AtomicLong filler = new AtomicLong();

        Answer refused = RawExchange.send(service, "PUT", new URL(ticket.getString("uploadUrl")).getFile(),
                Map.of("Content-Type", "application/octet-stream"), (long) IMAGE, (out, answered) -> {
                    out.write(image, 0, FIRST_PART);
                    out.flush();
                    // the length fitted; now, while the service writes the upload, the disk fills up
                    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> spooledBytes() == FIRST_PART);
                    filler.set(fillUp());
                    out.write(image, FIRST_PART, IMAGE - FIRST_PART);
                });

        assertStorageFull(refused, "upload " + uploadId, "fw.swu");
        assertThat(filler.get()).as("the filler was written mid-upload").isPositive();
        assertUploadWaitsForItsBytes(uploadId, image);
        assertNothingLeftOnDisk(free - filler.get());
        assertResidentIntact();

        Files.delete(FILLER);
        assertThat(free()).as("free space once the filler is gone").isEqualTo(free);
        int[] outcome = putAgainAndPublish(ticket, image);
        report("upload PUT, Content-Length " + IMAGE + ", the disk fills after " + FIRST_PART + " bytes were written",
                free, filler.get(), refused, outcome[0], outcome[1]);
    }

    private static void assertStorageFull(Answer answer, String... mentions) throws IOException {
        assertThat(answer.status()).as(answer.body()).isEqualTo(507);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(507);
        assertThat(problem.path("title").asText()).isEqualTo("Insufficient Storage");
        assertThat(problem.path("detail").asText()).contains(mentions).contains("storage is full")
                .contains("nothing was published");
    }

    /** No spooled, staged or temporary file, and exactly the free space there was before the upload. */
    private static void assertNothingLeftOnDisk(long freeBefore) throws IOException {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> spooledBytes() == 0 && files(SPOOL) == 0);
        try (Stream<Path> all = Files.walk(STORE)) {
            assertThat(all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList())
                    .as("temporary files in the store").isEmpty();
        }
        assertThat(free()).as("free bytes after the refusal, as before the upload").isEqualTo(freeBefore);
    }

    private void assertUploadWaitsForItsBytes(String uploadId, byte[] image) throws Exception {
        assertThat(STAGED.resolve(uploadId)).as("staged bytes").doesNotExist();
        assertThat(STORE.resolve(hex("SHA-256", image))).as("stored blob").doesNotExist();
        assertThat(new ReleaseRows(dataSource).artifactsWithSha256(hex("SHA-256", image))).isZero();
        given().auth().oauth2(token("publisher")).get("/api/v1/uploads/" + uploadId)
                .then().statusCode(200).body("state", equalTo("CREATED"));
    }

    /** The same URL again, then a publish referencing it: @return {PUT status, ReleasePublished events} */
    private int[] putAgainAndPublish(JsonPath ticket, byte[] image) throws Exception {
        int put = given().contentType("application/octet-stream").body(image).put(ticket.getString("uploadUrl"))
                .then().statusCode(200).body("state", equalTo("RECEIVED"))
                .body("sha256", equalTo(hex("SHA-256", image))).extract().statusCode();
        String name = uniqueName();
        publishRequest(metadata(name, "1.0.0"))
                .multiPart("artifacts", "[{\"uploadId\":\"" + ticket.getString("uploadId") + "\"}]")
                .post("/api/v1/releases").then().statusCode(201);
        assertThat(STAGED.resolve(ticket.getString("uploadId"))).doesNotExist();
        return new int[] { put, assertPublishedOnce(name, image) };
    }

    /** One release, one artifact, one ReleasePublished on the topic (the outbox drained), the bytes downloadable. */
    private int assertPublishedOnce(String name, byte[] image) throws Exception {
        ReleaseRows rows = new ReleaseRows(dataSource);
        String sha256 = hex("SHA-256", image);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> rows.outboxRowsMentioning(name) == 0
                && !TestKafka.recordsMentioning(Topics.RELEASES, name).isEmpty());
        int events = TestKafka.recordsMentioning(Topics.RELEASES, name).size();
        assertThat(events).as("events announcing " + name).isOne();
        assertThat(rows.releasesNamed(name)).isOne();
        assertThat(rows.artifactsWithSha256(sha256)).isOne();
        assertThat(Files.readAllBytes(STORE.resolve(sha256))).isEqualTo(image);
        long artifactId = given().auth().oauth2(token("viewer")).get("/api/v1/releases?name=" + name)
                .then().statusCode(200).extract().jsonPath().getLong("[0].artifacts.find { it.sha256 == '" + sha256
                        + "' }.id");
        assertThat(hex("SHA-256", download(artifactId).asByteArray())).isEqualTo(sha256);
        return events;
    }

    private void assertResidentIntact() throws IOException {
        assertThat(hex("SHA-256", Files.readAllBytes(STORE.resolve(resident.sha256())))).isEqualTo(resident.sha256());
        Response download = download(resident.artifactId());
        download.then().statusCode(200).header("ETag", "\"" + resident.sha256() + "\"");
        assertThat(hex("SHA-256", download.asByteArray())).as("the resident release's bytes")
                .isEqualTo(resident.sha256());
    }

    private Response download(long artifactId) {
        return given().get("/internal/v1/artifacts/" + artifactId + "?" + gateway.sign(artifactId,
                Duration.ofMinutes(5)));
    }

    private static JsonPath announce(byte[] image) {
        return given().auth().oauth2(token("publisher")).contentType("application/json")
                .body("{\"name\":\"fw.swu\",\"size\":" + image.length + ",\"sha256\":\"" + hex("SHA-256", image)
                        + "\"}")
                .post("/api/v1/uploads").then().statusCode(201).extract().jsonPath();
    }

    private static Map<String, String> publishHeaders() {
        return Map.of("Authorization", "Bearer " + token("publisher"),
                "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    }

    /** metadata, then the files in name order, as {@code updraft release publish} sends them. */
    private static byte[] multipart(String name, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                + metadata(name, "1.0.0").strip() + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String filename : files.keySet().stream().sorted().toList()) {
            body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(files.get(filename));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static void writeInPieces(byte[] request, OutputStream out, RawExchange.Answered answered)
            throws IOException {
        for (int at = 0; at < request.length && !answered.yet(); at += 64 * 1024) {
            out.write(request, at, Math.min(64 * 1024, request.length - at));
        }
    }

    /** Gives the service the chance to answer from the request's length alone; goes on if it does not. */
    private static void awaitEarlyAnswer(RawExchange.Answered answered) {
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(answered::yet);
        } catch (ConditionTimeoutException stillReading) {
            // no early answer: send the rest, and let the assertions tell
        }
    }

    /** Writes the filler so that exactly {@code left} bytes stay free; @return the free bytes, {@code left}. */
    private static long fillLeaving(long left) throws IOException {
        long size = free() - left;
        assertThat(size).as("room for the filler").isPositive();
        ByteBuffer block = ByteBuffer.allocate(1024 * 1024);
        try (FileChannel filler = FileChannel.open(FILLER, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (long written = 0; written < size; ) {
                block.clear().limit((int) Math.min(block.capacity(), size - written));
                written += filler.write(block);
            }
        }
        assertThat(free()).as("free bytes left by the filler").isEqualTo(left);
        return left;
    }

    /** Writes a filler that takes every free byte; @return its size. */
    private static long fillUp() throws IOException {
        fillLeaving(0);
        return Files.size(FILLER);
    }

    private static long free() throws IOException {
        return Files.getFileStore(STORE).getUsableSpace();
    }

    private static long spooledBytes() throws IOException {
        if (!Files.isDirectory(SPOOL)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(SPOOL)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static void report(String scenario, long freeBefore, long filledMidUpload, Answer refused, int retried,
            int events) throws IOException {
        System.out.printf("""
                ---- StorageFullIT: %s ----
                  disk: tmpfs of %d bytes; free before the upload %d bytes%s
                  refused: HTTP %d after %d ms, %d body bytes sent before the answer%s
                  detail: %s
                  left behind: no release/artifact row, blob, spooled, staged or temp file, outbox row or event;
                               free space back to %d bytes
                  after deleting the filler: HTTP %d, ReleasePublished events for it: %d (exactly once);
                               resident release downloadable, sha256 intact
                """, scenario, SmallDiskResource.SIZE, freeBefore,
                filledMidUpload > 0 ? " (filler of " + filledMidUpload + " bytes written mid-upload)" : "",
                refused.status(), refused.millis(), refused.bodyBytesSentBeforeAnswer(),
                refused.bodyStoppedBy() == null ? "" : "; sending stopped: " + refused.bodyStoppedBy(),
                JSON.readTree(refused.body()).path("detail").asText(), freeBefore - filledMidUpload, retried, events);
    }
}
