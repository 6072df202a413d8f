package io.updraft.release.service.storage;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.SIGNING_KEY;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static io.updraft.release.service.storage.S3ProxyResource.BUCKET;
import static io.updraft.release.service.storage.S3ProxyResource.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.domain.ArtifactHashes;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The s3 store (the Quarkus Amazon S3 extension's client) against a real S3-compatible server, S3Proxy, in a child
 * JVM: through the service's REST API where it can be reached, through the store itself for staging and discarding.
 */
@QuarkusTest
@TestProfile(S3ArtifactStoreIT.S3Storage.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class S3ArtifactStoreIT {
    private static final Random RANDOM = new Random();

    /** updraft.storage.kind=s3 against S3Proxy. */
    public static class S3Storage implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyResource.class));
        }
    }

    @Inject
    ArtifactStore store;
    @Inject
    S3Client s3;
    @ConfigProperty(name = "updraft.storage.s3.endpoint")
    String endpoint;

    private Path dir;
    private byte[] image;
    private Path upload;
    private ArtifactHashes hashes;
    private String sha256;

    @BeforeEach
    void givenSpooledBytes() throws Exception {
        dir = Files.createDirectories(Path.of("target/test-data/s3-spool"));
        image = randomBytes(300_000);
        upload = Files.write(dir.resolve(UUID.randomUUID().toString()), image);
        hashes = ArtifactHashes.of(upload);
        sha256 = hashes.sha256();
    }

    @Test
    void givenAPublishedRelease_whenTheGatewayDownloadsItsArtifact_thenTheBytesComeFromTheBucket() {
        long artifactId = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", image).statusCode(201)
                .extract().jsonPath().getLong("artifacts[0].id");

        assertThat(objects()).contains(PREFIX + sha256);
        Response whole = download(artifactId, null);
        whole.then().statusCode(200).header("Content-Length", String.valueOf(image.length));
        assertThat(whole.asByteArray()).isEqualTo(image);
    }

    @Test
    void givenAnInterruptedDownload_whenResumedWithARange_thenTheRestComesFromTheBucket() {
        long artifactId = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", image).statusCode(201)
                .extract().jsonPath().getLong("artifacts[0].id");

        Response rest = download(artifactId, "bytes=250000-");

        rest.then().statusCode(206).header("Content-Range", "bytes 250000-299999/300000");
        assertThat(rest.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 250_000, 300_000));
    }

    @Test
    void givenAnArtifactWhoseObjectIsGoneFromTheBucket_whenDownloaded_thenAProblemNotBrokenBytes() {
        long artifactId = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", image).statusCode(201)
                .extract().jsonPath().getLong("artifacts[0].id");

        s3.deleteObject(delete -> delete.bucket(BUCKET).key(PREFIX + sha256));

        download(artifactId, null).then().statusCode(500).contentType("application/problem+json");
        assertThat(objects()).doesNotContain(PREFIX + sha256);
    }

    @Test
    void givenAnUpload_whenStored_thenItIsFoundWholeAndByRangeAndTheSpooledFileIsGone() throws Exception {
        store.put(upload, hashes);

        assertThat(upload).doesNotExist();
        ArtifactStore.StoredBlob blob = store.find(sha256).orElseThrow();
        assertThat(blob.size()).isEqualTo(image.length);
        assertThat(read(blob.entity(0, image.length))).isEqualTo(image);
        assertThat(read(blob.entity(1000, 500))).isEqualTo(Arrays.copyOfRange(image, 1000, 1500));
        assertThat(objects()).contains(PREFIX + sha256);
    }

    @Test
    void givenBytesAlreadyStored_whenStoredAgain_thenNoSecondUpload() throws Exception {
        store.put(upload, hashes);
        // other bytes under the same name: were they uploaded, the store would refuse them or keep them
        Path again = Files.write(dir.resolve(UUID.randomUUID().toString()), randomBytes(10));

        store.put(again, hashes);

        assertThat(again).doesNotExist();
        assertThat(read(store.find(sha256).orElseThrow().entity(0, image.length))).isEqualTo(image);
    }

    @Test
    void givenAnUnknownHash_whenFinding_thenEmpty() throws Exception {
        assertThat(store.find("0".repeat(64))).isEmpty();
        assertThatThrownBy(() -> store.find("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenBytesThatDoNotMatchTheirName_whenStored_thenTheStoreRefusesThem() throws Exception {
        ArtifactHashes other = ArtifactHashes.of(new java.io.ByteArrayInputStream(randomBytes(10)));

        assertThatThrownBy(() -> store.put(upload, other)).isInstanceOf(IOException.class);
        assertThat(store.find(other.sha256())).isEmpty();
    }

    @Test
    void givenAWrongSecret_whenStoring_thenTheSignatureIsRejected() {
        try (S3Client wrongSecret = S3ProxyResource.client(endpoint, "not-the-secret")) {
            S3ArtifactStore wrong = new S3ArtifactStore(wrongSecret, BUCKET, PREFIX);

            assertThatThrownBy(() -> wrong.put(upload, hashes)).isInstanceOf(IOException.class)
                    .hasMessageContaining("403");
        }
    }

    @Test
    void givenAStagedUpload_whenAdopted_thenItIsReadableUnderItsSha256AndTheStagedObjectIsGone() throws Exception {
        String uploadId = UUID.randomUUID().toString();

        store.stage(upload, uploadId, hashes);
        assertThat(upload).doesNotExist();
        assertThat(objects()).contains(PREFIX + "uploads/" + uploadId).doesNotContain(PREFIX + sha256);
        assertThat(store.find(sha256)).isEmpty();

        store.adopt(uploadId, sha256);

        assertThat(read(store.find(sha256).orElseThrow().entity(0, image.length))).isEqualTo(image);
        assertThat(objects()).contains(PREFIX + sha256).doesNotContain(PREFIX + "uploads/" + uploadId);
    }

    @Test
    void givenAnAdoptedUpload_whenAdoptedAgain_thenNothingChangesButBytesNeitherStagedNorStoredAreAnError()
            throws Exception {
        String uploadId = UUID.randomUUID().toString();
        store.stage(upload, uploadId, hashes);
        store.adopt(uploadId, sha256);

        store.adopt(uploadId, sha256); // a publish retried after a rollback

        assertThat(store.find(sha256)).isPresent();
        assertThatThrownBy(() -> store.adopt(UUID.randomUUID().toString(), "b".repeat(64)))
                .isInstanceOf(IOException.class).hasMessageContaining("neither staged nor stored");
    }

    @Test
    void givenAStagedUpload_whenDiscarded_thenItsObjectIsDeleted() throws Exception {
        String uploadId = UUID.randomUUID().toString();
        store.stage(upload, uploadId, hashes);

        store.discard(uploadId);
        store.discard(uploadId);

        assertThat(objects()).doesNotContain(PREFIX + "uploads/" + uploadId);
        assertThat(store.find(sha256)).isEmpty();
        assertThatThrownBy(() -> store.discard("../../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> objects() {
        return s3.listObjectsV2Paginator(list -> list.bucket(BUCKET)).contents().stream().map(S3Object::key)
                .toList();
    }

    private static Response download(long artifactId, String range) {
        var request = given();
        if (range != null) {
            request.header("Range", range);
        }
        return request.when().get("/internal/v1/artifacts/" + artifactId + "?"
                + new ArtifactUrlSigner(SIGNING_KEY).sign(artifactId, Duration.ofMinutes(5)));
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(Object entity) throws IOException {
        try (InputStream in = (InputStream) entity) {
            return in.readAllBytes();
        }
    }
}
