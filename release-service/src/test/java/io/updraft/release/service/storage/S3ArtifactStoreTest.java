package io.updraft.release.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How the s3 store reads an object store's refusals (S3Proxy cannot fill up, so this is a stand-in client). */
class S3ArtifactStoreTest {
    @TempDir
    Path dir;

    @Test
    void givenAnObjectStoreWithoutRoom_whenAnArtifactIsPut_thenStorageFullAndTheSpooledFileStaysForItsOwner()
            throws Exception {
        Path file = Files.write(dir.resolve("spooled"), new byte[] { 1, 2, 3 });
        S3ArtifactStore store = new S3ArtifactStore(answering(507, "XMinioStorageFull"), "bucket", "artifacts/");

        assertThatThrownBy(() -> store.put(file, ArtifactHashes.of(file)))
                .isInstanceOfSatisfying(StorageFullException.class,
                        full -> assertThat(full.reason()).contains("507").contains("PUT artifacts/"));
        assertThatThrownBy(() -> store.stage(file, "00000000-0000-4000-8000-000000000000", ArtifactHashes.of(file)))
                .isInstanceOf(StorageFullException.class);
        assertThat(file).as("deleted by the request that spooled it").exists();
    }

    @Test
    void givenAnObjectStoreFailingOtherwise_whenAnArtifactIsPut_thenAnIoFailureNotStorageFull() throws Exception {
        Path file = Files.write(dir.resolve("spooled"), new byte[] { 1, 2, 3 });
        S3ArtifactStore store = new S3ArtifactStore(answering(500, "InternalError"), "bucket", "artifacts/");

        assertThatThrownBy(() -> store.put(file, ArtifactHashes.of(file))).isInstanceOf(IOException.class)
                .hasMessageContaining("PUT artifacts/");
    }

    /** Holds no object; answers every PUT with {@code status}. */
    private static S3Client answering(int status, String code) {
        return new S3Client() {
            @Override
            public HeadObjectResponse headObject(HeadObjectRequest request) {
                throw NoSuchKeyException.builder().statusCode(404).message("no " + request.key()).build();
            }

            @Override
            public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
                throw S3Exception.builder().statusCode(status).message(code).build();
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
    }
}
