package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.NothingStored.assertNothingStored;
import static io.updraft.release.ReleaseFixtures.STORE;
import static io.updraft.release.ReleaseFixtures.hex;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.publishRequest;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delta releases: a .zck (made by Debian's {@code zck}, the tool SWUpdate's documentation uses) is verified while it
 * arrives and its chunks recorded; one that does not verify is a 422 that stores nothing; {@code delta=zchunk} makes
 * the .zck of a plain image, which Debian's {@code unzck} restores byte for byte. Needs the {@code zchunk} package
 * (.ci/run installs it).
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ZchunkReleaseIT {
    static Path work;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void scratch() throws Exception {
        work = Files.createDirectories(Path.of("target/zchunk-it"));
        run("zck", "--version");
    }

    @Test
    void givenAZckMadeByTheZckTool_whenPublished_thenAcceptedWithItsChunksRecorded() throws Exception {
        byte[] image = image(1_500_000, 1);
        byte[] zck = zckTool(image, "good");
        List<String[]> toolChunks = toolChunkList("good.img.zck");

        JsonPath release = publish(metadata(uniqueName(), "1.0.0"), "rootfs.img.zck", zck).statusCode(201)
                .extract().jsonPath();

        long headerSize = Long.parseLong(toolChunks.get(0)[toolChunks.get(0).length - 3]); // chunk 0 starts there
        assertThat(release.getLong("artifacts[0].zchunk.headerSize")).isEqualTo(headerSize);
        assertThat(release.getInt("artifacts[0].zchunk.chunks")).isEqualTo(toolChunks.size() - 1).isGreaterThan(5);
        given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + release.getString("id")).then()
                .statusCode(200).body("artifacts[0].zchunk.headerSize", equalTo((int) headerSize));
        List<String[]> recorded = recordedChunks(hex("SHA-256", zck));
        assertThat(recorded).hasSize(toolChunks.size() - 1);
        for (int i = 0; i < recorded.size(); i++) {
            String[] tool = toolChunks.get(i + 1); // number, checksum, uncompressed checksum, start, comp, size
            assertThat(recorded.get(i)).as("chunk " + (i + 1)).containsExactly(tool);
        }
    }

    @Test
    void givenRoleParts_whenPublished_thenEachFilesRoleIsStoredShownAndAnnouncedAndAZckIsDeltaSource()
            throws Exception {
        String name = uniqueName();
        byte[] zck = zckTool(image(200_000, 11), "roles");
        JsonPath release = publishRequest(metadata(name, "1.0.0"))
                .multiPart("file", "fw.bin", image(1_000, 12), "application/octet-stream")
                .multiPart("role", "full")
                .multiPart("file", "fw-delta.bin", image(1_000, 13), "application/octet-stream")
                .multiPart("role", " delta ")
                .multiPart("file", "rootfs.img.zck", zck, "application/octet-stream")
                .multiPart("role", "full") // said full: a .zck is delta-source whatever is said
                .when().post("/api/v1/releases").then().statusCode(201).extract().jsonPath();

        assertThat(release.getList("artifacts.role")).containsExactly("full", "delta", "delta-source");
        given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + release.getString("id")).then()
                .statusCode(200).body("artifacts.role", org.hamcrest.Matchers.contains("full", "delta",
                        "delta-source"));
        List<String> stored = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select role from artifacts where release_id = ? order by id")) {
            s.setString(1, release.getString("id"));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        assertThat(stored).containsExactly("full", "delta", "delta-source");
        io.updraft.events.ReleaseEvent.ReleasePublished published = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> io.updraft.testsupport.TestKafka.recordsMentioning(io.updraft.events.Topics.RELEASES,
                        name).stream().map(r -> io.updraft.events.EventJson.read(r.value(),
                                io.updraft.events.ReleaseEvent.class))
                        .filter(io.updraft.events.ReleaseEvent.ReleasePublished.class::isInstance)
                        .map(io.updraft.events.ReleaseEvent.ReleasePublished.class::cast).findFirst().orElse(null),
                        java.util.Objects::nonNull);
        assertThat(published.artifacts()).extracting(io.updraft.events.ArtifactRef::role)
                .containsExactly("full", "delta", "delta-source");
    }

    @Test
    void givenABadRoleOrOneRoleTooFew_whenPublished_then400AndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] image = image(2_000, 14);
        for (String bad : List.of("delta-source", "DELTA", "", "full\u0000", "x".repeat(2_000))) {
            publishRequest(metadata(name, "1.0.0"))
                    .multiPart("file", "fw.bin", image, "application/octet-stream")
                    .multiPart("role", bad)
                    .when().post("/api/v1/releases").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("'role'"));
            assertNothingStored(dataSource, name, image);
        }
        publishRequest(metadata(name, "1.0.0"))
                .multiPart("file", "fw.bin", image, "application/octet-stream")
                .multiPart("file", "fw-delta.bin", image(2_000, 15), "application/octet-stream")
                .multiPart("role", "delta")
                .when().post("/api/v1/releases").then().statusCode(400)
                .body("detail", containsString("one 'role' part per 'file' part"));
        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenAZckWithACorruptedChunk_whenPublished_then422NamingTheChunkAndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] zck = zckTool(image(800_000, 2), "corrupt-chunk");
        zck[zck.length - 5_000] ^= 0x20; // inside the last chunks
        publish(metadata(name, "1.0.0"), "rootfs.img.zck", zck).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("rootfs.img.zck is not a valid zchunk file (CHUNK_CHECKSUM)"))
                .body("detail", containsString("differs from its checksum"));
        assertNothingStored(dataSource, name, zck);
        assertThat(count("select count(*) from zchunk_indexes where sha256 = ?", hex("SHA-256", zck))).isZero();
    }

    @Test
    void givenAZckWithABadHeaderOrTruncated_whenPublished_then422AndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] good = zckTool(image(300_000, 3), "bad-header");
        byte[] badHeader = good.clone();
        badHeader[60] ^= 0x01;
        publish(metadata(name, "1.0.0"), "rootfs.img.zck", badHeader).statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("HEADER_CHECKSUM"));
        assertNothingStored(dataSource, name, badHeader);

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        publish(metadata(name, "1.0.0"), "rootfs.img.zck", truncated).statusCode(422)
                .body("detail", containsString("TRUNCATED"));
        assertNothingStored(dataSource, name, truncated);

        byte[] notZck = image(10_000, 4);
        publish(metadata(name, "1.0.0"), "rootfs.img.zck", notZck).statusCode(422)
                .body("detail", containsString("named like a zchunk file"));
        assertNothingStored(dataSource, name, notZck);
    }

    @Test
    void givenAPlainImageAndDeltaZchunk_whenPublished_thenItsZckIsStoredBesideItAndUnzckRestoresTheImage()
            throws Exception {
        byte[] image = image(2_000_000, 5);
        JsonPath release = publishRequest(metadata(uniqueName(), "1.0.0"))
                .multiPart("file", "rootfs.img", image, "application/octet-stream")
                .multiPart("delta", "zchunk")
                .when().post("/api/v1/releases").then().statusCode(201)
                .body("artifacts[0].filename", equalTo("rootfs.img"))
                .body("artifacts[0].zchunk", nullValue())
                .body("artifacts[1].filename", equalTo("rootfs.img.zck"))
                .extract().jsonPath();

        String sha256 = release.getString("artifacts[1].sha256");
        Path produced = work.resolve("produced.zck");
        Files.copy(STORE.resolve(sha256), produced, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(run("unzck", "-c", produced.toAbsolutePath().toString())).isEqualTo(image);
        List<String[]> toolView = toolChunkList("produced.zck");
        assertThat(release.getInt("artifacts[1].zchunk.chunks")).isEqualTo(toolView.size() - 1);
        assertThat(recordedChunks(sha256)).hasSize(toolView.size() - 1);
        // the same chunks as the zck tool makes of the same image: what the device's re-chunking will find
        byte[] tool = zckTool(image, "plain");
        List<String> toolUncompressed = toolChunkList("plain.img.zck").stream().map(r -> r[2]).toList();
        assertThat(toolView.stream().map(r -> r[2]).toList()).isEqualTo(toolUncompressed);
        assertThat(tool.length).isPositive();

        // the same publish again (a retried CI step): the produced .zck is the same bytes, so 200, nothing new
        publishRequest(metadata(release.getString("name"), "1.0.0"))
                .multiPart("file", "rootfs.img", image, "application/octet-stream")
                .multiPart("delta", "zchunk")
                .when().post("/api/v1/releases").then().statusCode(200)
                .body("id", equalTo(release.getString("id")))
                .body("artifacts[1].sha256", equalTo(sha256));
    }

    @Test
    void givenDeltaWithAnUnknownValue_whenPublished_then400AndNothingStored() throws Exception {
        String name = uniqueName();
        byte[] image = image(5_000, 6);
        publishRequest(metadata(name, "1.0.0")).multiPart("file", "rootfs.img", image, "application/octet-stream")
                .multiPart("delta", "bsdiff\u0000").when().post("/api/v1/releases").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("'delta' must be 'zchunk'"));
        assertNothingStored(dataSource, name, image);
    }

    @Test
    void givenATwoStepUploadOfAZck_whenACorruptOneIsPut_then422AndTheUrlStaysUsable_andTheGoodOneIsPublished()
            throws Exception {
        byte[] zck = zckTool(image(500_000, 7), "two-step");
        byte[] corrupt = zck.clone();
        corrupt[corrupt.length / 2] ^= 0x01;
        JsonPath ticket = given().auth().oauth2(token("publisher")).contentType("application/json")
                .body("{\"name\":\"rootfs.img.zck\"}").post("/api/v1/uploads").then().statusCode(201)
                .extract().jsonPath();
        given().contentType("application/octet-stream").body(corrupt).put(ticket.getString("uploadUrl")).then()
                .statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("is not a valid zchunk file"));
        assertThat(count("select count(*) from zchunk_indexes where sha256 = ?", hex("SHA-256", corrupt))).isZero();

        given().contentType("application/octet-stream").body(zck).put(ticket.getString("uploadUrl")).then()
                .statusCode(200).body("state", equalTo("RECEIVED"));
        publishRequest(metadata(uniqueName(), "1.0.0"))
                .multiPart("artifacts", "[{\"uploadId\":\"" + ticket.getString("uploadId") + "\"}]")
                .when().post("/api/v1/releases").then().statusCode(201)
                .body("artifacts[0].zchunk.chunks", equalTo(toolChunkList("two-step.img.zck").size() - 1));
    }

    private List<String[]> recordedChunks(String sha256) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select number, checksum, uncompressed_checksum, file_offset, length, uncompressed_length
                from zchunk_chunks where sha256 = ? order by number""")) {
            s.setString(1, sha256);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6)});
                }
            }
        }
        return rows;
    }

    private long count(String sql, String arg) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** An image with runs of zeros, random bytes and text, as a root filesystem has. */
    private static byte[] image(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int at = 0; at < size; ) {
            int run = Math.min(size - at, 1_000 + r.nextInt(100_000));
            int kind = r.nextInt(3);
            for (int i = 0; i < run; i++) {
                b[at + i] = kind == 0 ? 0 : kind == 1 ? (byte) r.nextInt() : (byte) ('a' + r.nextInt(20));
            }
            at += run;
        }
        return b;
    }

    /** {@code zck -u --chunk-hash-type sha256}, as SWUpdate's documentation has you make a delta image. */
    private static byte[] zckTool(byte[] image, String name) throws Exception {
        Path plain = work.resolve(name + ".img");
        Files.write(plain, image);
        run("zck", "-u", "--chunk-hash-type", "sha256", "-o", work.resolve(name + ".img.zck").toAbsolutePath()
                .toString(), plain.toAbsolutePath().toString());
        return Files.readAllBytes(work.resolve(name + ".img.zck"));
    }

    /** {@code zck_read_header -c}: number, checksum, uncompressed checksum, start, stored size, size per chunk. */
    private static List<String[]> toolChunkList(String file) throws Exception {
        List<String[]> rows = new ArrayList<>();
        String out = new String(run("zck_read_header", "-c", work.resolve(file).toAbsolutePath().toString()));
        for (String line : out.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length == 6 && t[0].matches("\\d+") && t[1].matches("[0-9a-f]{64}")) {
                rows.add(t);
            }
        }
        return rows;
    }

    private static byte[] run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".bin");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed");
        }
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(out);
        return bytes;
    }
}
