package io.updraft.release.api;

import static io.updraft.release.ReleaseFixtures.STORE;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An artifact larger than this JVM's whole heap (failsafe runs it with -Xmx768m) goes through upload, hashing and
 * storage: nothing on the client or the server side may hold it in memory. The service reads the multipart body
 * itself and hashes the file part while writing it; the three digests must equal the ones the client computed.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class LargeUploadIT {
    private static final long SIZE = 1024L * 1024 * 1024; // 1 GiB
    private static final int BLOCK = 1024 * 1024;

    @TestHTTPResource
    URL service;

    @Test
    void givenAnArtifactLargerThanTheHeap_whenPublished_thenItIsStreamedHashedAndStored() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the point of this test: heap < artifact").isLessThan(SIZE);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        MessageDigest sentSha1 = MessageDigest.getInstance("SHA-1");
        MessageDigest sentMd5 = MessageDigest.getInstance("MD5");
        String boundary = "updraft-large-upload";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                + metadata(uniqueName(), "9.0.0").strip() + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.swu\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        URI releases = URI.create(service.toString().replaceAll("/$", "") + "/api/v1/releases");
        HttpRequest request = HttpRequest.newBuilder(releases)
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token("publisher"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(
                        List.of(new ByteArrayInputStream(head), new GeneratedImage(SIZE, sent, sentSha1, sentMd5),
                                new ByteArrayInputStream(tail))))))
                .build();

        // HTTP/1.1: the JDK client's default h2c upgrade makes the server aggregate the whole upgrade request in memory
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode artifact = new ObjectMapper().readTree(response.body()).path("artifacts").path(0);
        String sha256 = HexFormat.of().formatHex(sent.digest());
        assertThat(artifact.path("size").asLong()).isEqualTo(SIZE);
        assertThat(artifact.path("sha256").asText()).isEqualTo(sha256);
        assertThat(artifact.path("sha1").asText()).isEqualTo(HexFormat.of().formatHex(sentSha1.digest()));
        assertThat(artifact.path("md5").asText()).isEqualTo(HexFormat.of().formatHex(sentMd5.digest()));
        assertThat(Files.size(STORE.resolve(sha256))).isEqualTo(SIZE);
        Files.delete(STORE.resolve(sha256)); // a gigabyte the other tests do not need
    }

    /** {@code size} pseudo-random bytes made block by block, hashed as they are read; never more than a block held. */
    private static final class GeneratedImage extends InputStream {
        private final long size;
        private final MessageDigest[] digests;
        private final byte[] block = new byte[BLOCK];
        private final Random random = new Random(42);
        private long produced;
        private int offset = BLOCK;

        GeneratedImage(long size, MessageDigest... digests) {
            this.size = size;
            this.digests = digests;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int from, int length) {
            if (produced == size) {
                return -1;
            }
            if (offset == BLOCK) {
                random.nextBytes(block);
                offset = 0;
            }
            int n = (int) Math.min(Math.min(length, BLOCK - offset), size - produced);
            System.arraycopy(block, offset, target, from, n);
            for (MessageDigest digest : digests) {
                digest.update(block, offset, n);
            }
            offset += n;
            produced += n;
            return n;
        }
    }
}
