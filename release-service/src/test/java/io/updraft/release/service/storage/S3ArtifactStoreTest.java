package io.updraft.release.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 store against {@link FakeS3}: no real S3-compatible server can run in this build. */
class S3ArtifactStoreTest {
    @TempDir
    Path dir;
    private FakeS3 s3;
    private S3ArtifactStore store;
    private byte[] image;
    private Path upload;
    private String sha256;

    @BeforeEach
    void givenABucket() throws Exception {
        Files.createDirectories(dir.resolve("bucket"));
        s3 = new FakeS3(dir.resolve("bucket"), "AKIDUPDRAFT", "secret-key-1234", "eu-central-1");
        store = new S3ArtifactStore(s3.endpoint(), "updraft-artifacts", "eu-central-1", "artifacts/", "AKIDUPDRAFT",
                "secret-key-1234");
        image = new byte[300_000];
        new Random(1).nextBytes(image);
        upload = Files.write(dir.resolve("spooled"), image);
        sha256 = ArtifactHashes.of(upload).sha256();
    }

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void givenAnUpload_whenStored_thenItIsFoundWholeAndByRangeAndTheSpooledFileIsGone() throws Exception {
        store.put(upload, sha256);

        assertThat(upload).doesNotExist();
        ArtifactStore.StoredBlob blob = store.find(sha256).orElseThrow();
        assertThat(blob.size()).isEqualTo(image.length);
        assertThat(read(blob.entity(0, image.length))).isEqualTo(image);
        assertThat(read(blob.entity(1000, 500))).isEqualTo(Arrays.copyOfRange(image, 1000, 1500));
        assertThat(s3.requests).contains("PUT /updraft-artifacts/artifacts/" + sha256);
    }

    @Test
    void givenBytesAlreadyStored_whenStoredAgain_thenNoSecondUpload() throws Exception {
        store.put(upload, sha256);
        Path again = Files.write(dir.resolve("again"), image);

        store.put(again, sha256);

        assertThat(s3.requests.stream().filter(r -> r.startsWith("PUT"))).hasSize(1);
        assertThat(again).doesNotExist();
    }

    @Test
    void givenAnUnknownHash_whenFinding_thenEmpty() throws Exception {
        assertThat(store.find("0".repeat(64))).isEmpty();
        assertThatThrownBy(() -> store.find("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenBytesThatDoNotMatchTheirName_whenStored_thenTheStoreRefusesThem() throws Exception {
        assertThatThrownBy(() -> store.put(upload, "a".repeat(64))).isInstanceOf(IOException.class)
                .hasMessageContaining("400");
        assertThat(store.find("a".repeat(64))).isEmpty();
    }

    @Test
    void givenAWrongSecret_whenStoring_thenTheSignatureIsRejected() {
        S3ArtifactStore wrong = new S3ArtifactStore(s3.endpoint(), "updraft-artifacts", "eu-central-1", "artifacts/",
                "AKIDUPDRAFT", "not-the-secret");

        assertThatThrownBy(() -> wrong.put(upload, sha256)).isInstanceOf(IOException.class)
                .hasMessageContaining("403");
    }

    @Test
    void givenAStagedUpload_whenAdopted_thenItIsReadableUnderItsSha256AndTheStagedObjectIsGone() throws Exception {
        String uploadId = "0b6f7c1e-3d2a-4f5e-9a8b-1c2d3e4f5a6b";

        store.stage(upload, uploadId, sha256);
        assertThat(upload).doesNotExist();
        assertThat(s3.objects()).containsExactly("updraft-artifacts_artifacts_uploads_" + uploadId);
        assertThat(store.find(sha256)).isEmpty();

        store.adopt(uploadId, sha256);

        assertThat(read(store.find(sha256).orElseThrow().entity(0, image.length))).isEqualTo(image);
        assertThat(s3.objects()).containsExactly("updraft-artifacts_artifacts_" + sha256);
        // the server-side copy carries x-amz-copy-source, which FakeS3 (like S3) only accepts when it is signed
        assertThat(s3.requests).contains("PUT /updraft-artifacts/artifacts/" + sha256,
                "DELETE /updraft-artifacts/artifacts/uploads/" + uploadId);
    }

    @Test
    void givenAnAdoptedUpload_whenAdoptedAgain_thenNothingChangesButBytesNeitherStagedNorStoredAreAnError()
            throws Exception {
        String uploadId = "0b6f7c1e-3d2a-4f5e-9a8b-1c2d3e4f5a6b";
        store.stage(upload, uploadId, sha256);
        store.adopt(uploadId, sha256);

        store.adopt(uploadId, sha256); // a publish retried after a rollback

        assertThat(store.find(sha256)).isPresent();
        assertThatThrownBy(() -> store.adopt("1b6f7c1e-3d2a-4f5e-9a8b-1c2d3e4f5a6b", "b".repeat(64)))
                .isInstanceOf(IOException.class).hasMessageContaining("neither staged nor stored");
    }

    @Test
    void givenAStagedUpload_whenDiscarded_thenTheBucketIsEmpty() throws Exception {
        String uploadId = "0b6f7c1e-3d2a-4f5e-9a8b-1c2d3e4f5a6b";
        store.stage(upload, uploadId, sha256);

        store.discard(uploadId);
        store.discard(uploadId);

        assertThat(s3.objects()).isEmpty();
        assertThatThrownBy(() -> store.discard("../../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] read(Object entity) throws IOException {
        try (InputStream in = (InputStream) entity) {
            return in.readAllBytes();
        }
    }
}
