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
import static org.assertj.core.api.Assertions.tuple;

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
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
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

    private static final int MIB = 1024 * 1024;
    /** Lowered from 64 MiB so a test artifact of a few MiB goes up in parts of S3's minimum, 5 MiB. */
    private static final int MULTIPART_THRESHOLD = 6 * MIB;
    private static final int PART_SIZE = 5 * MIB;

    /** updraft.storage.kind=s3 against S3Proxy, multipart above 6 MiB. */
    public static class S3Storage implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.storage.s3.multipart-threshold-bytes", String.valueOf(MULTIPART_THRESHOLD),
                    "updraft.storage.s3.multipart-part-size-bytes", String.valueOf(PART_SIZE));
        }
    }

    @Inject
    ArtifactStore store;
    @ConfigProperty(name = "updraft.storage.s3.endpoint")
    String endpoint;
    /** The test's own client with the server's static credentials, to look into the bucket. */
    S3Client s3;

    private Path dir;
    private byte[] image;
    private Path upload;
    private ArtifactHashes hashes;
    private String sha256;

    @BeforeEach
    void givenSpooledBytes() throws Exception {
        s3 = S3ProxyResource.client(endpoint, S3ProxyResource.SECRET_KEY);
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

    @AfterEach
    void closeClient() {
        s3.close();
    }

    @Test
    void givenAnArtifactAboveTheMultipartThreshold_whenPublished_thenItIsStoredAsAMultipartObjectAndReadsBackWhole() {
        byte[] large = randomBytes(2 * PART_SIZE + MIB); // 11 MiB: parts of 5, 5 and 1 MiB
        String largeSha256 = hex(large);

        long artifactId = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", large).statusCode(201)
                .extract().jsonPath().getLong("artifacts[0].id");

        HeadObjectResponse head = s3.headObject(h -> h.bucket(BUCKET).key(PREFIX + largeSha256));
        assertThat(head.eTag()).as("a multipart object's ETag ends with -<parts>").endsWith("-3\"");
        assertThat(head.contentLength()).isEqualTo(large.length);
        Response whole = download(artifactId, null);
        whole.then().statusCode(200);
        assertThat(whole.asByteArray()).isEqualTo(large);
    }

    @Test
    void givenAFileAboveTheThreshold_whenStored_thenPartsOfTheConfiguredSizeEachWithItsMd5() throws Exception {
        byte[] large = randomBytes(PART_SIZE + PART_SIZE / 2);
        Path file = Files.write(dir.resolve(UUID.randomUUID().toString()), large);
        ArtifactHashes largeHashes = ArtifactHashes.of(file);
        RecordingS3Client recording = new RecordingS3Client(s3);
        S3ArtifactStore multipart = new S3ArtifactStore(recording.client(), BUCKET, PREFIX, MULTIPART_THRESHOLD,
                PART_SIZE);

        multipart.put(file, largeHashes);

        assertThat(recording.requests("putObject")).isEmpty();
        assertThat(recording.requests("uploadPart")).map(UploadPartRequest.class::cast)
                .extracting(UploadPartRequest::partNumber, UploadPartRequest::contentLength)
                .containsExactly(tuple(1, (long) PART_SIZE), tuple(2, (long) (PART_SIZE / 2)));
        assertThat(recording.requests("uploadPart")).map(UploadPartRequest.class::cast)
                .allSatisfy(part -> assertThat(part.contentMD5()).isNotBlank());
        assertThat(recording.requests("completeMultipartUpload")).hasSize(1);
        assertThat(read(store.find(largeHashes.sha256()).orElseThrow().entity(0, large.length))).isEqualTo(large);
        assertThat(file).doesNotExist();
    }

    @Test
    void givenAFileAtTheThreshold_whenStored_thenOnePut() throws Exception {
        RecordingS3Client recording = new RecordingS3Client(s3);
        S3ArtifactStore multipart = new S3ArtifactStore(recording.client(), BUCKET, PREFIX, image.length, PART_SIZE);

        multipart.put(upload, hashes);

        assertThat(recording.requests("putObject")).hasSize(1);
        assertThat(recording.requests("createMultipartUpload")).isEmpty();
    }

    @Test
    void givenAMultipartUploadFailingOnItsSecondPart_whenStored_thenItIsAbortedAndNoPartsAreLeft() throws Exception {
        byte[] large = randomBytes(3 * PART_SIZE);
        Path file = Files.write(dir.resolve(UUID.randomUUID().toString()), large);
        ArtifactHashes largeHashes = ArtifactHashes.of(file);
        String key = PREFIX + largeHashes.sha256();
        List<String> inProgressAtFailure = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> partsAtFailure = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingS3Client failing = new RecordingS3Client(s3, (method, before) -> {
            if (!method.equals("uploadPart") || before != 1) {
                return null;
            }
            // what the bucket holds when part 2 fails: the upload in progress, with part 1
            s3.listMultipartUploads(list -> list.bucket(BUCKET).prefix(key)).uploads().forEach(upload -> {
                inProgressAtFailure.add(upload.uploadId());
                partsAtFailure.add(parts(key, upload.uploadId()));
            });
            return SdkClientException.create("connection reset (injected)");
        });
        S3ArtifactStore multipart = new S3ArtifactStore(failing.client(), BUCKET, PREFIX, MULTIPART_THRESHOLD,
                PART_SIZE);

        assertThatThrownBy(() -> multipart.put(file, largeHashes)).isInstanceOf(IOException.class)
                .hasMessageContaining("multipart upload");

        assertThat(inProgressAtFailure).as("one upload was in progress when part 2 failed").hasSize(1);
        assertThat(partsAtFailure).as("with part 1 stored").containsExactly(1);
        String uploadId = inProgressAtFailure.get(0);
        assertThat(s3.listMultipartUploads(list -> list.bucket(BUCKET).prefix(key)).uploads()).isEmpty();
        assertThat(parts(key, uploadId)).as("no parts left").isZero();
        assertThat(store.find(largeHashes.sha256())).isEmpty();
        assertThat(file).as("kept for its owner, who deletes the spool").exists();
    }

    @Test
    void givenAStoredObject_whenReadByRange_thenARangedGetReturnsExactlyThoseBytes() throws Exception {
        store.put(upload, hashes);
        RecordingS3Client recording = new RecordingS3Client(s3);
        ArtifactStore.StoredBlob blob = new S3ArtifactStore(recording.client(), BUCKET, PREFIX).find(sha256)
                .orElseThrow();
        int size = image.length;

        for (long[] range : new long[][] { { 0, 100 }, { 123_456, 1000 }, { size - 500, 500 }, { size - 1, 1 } }) {
            int first = (int) range[0];
            int length = (int) range[1];
            try (ResponseInputStream<?> in = (ResponseInputStream<?>) blob.entity(first, length)) {
                GetObjectResponse answer = (GetObjectResponse) in.response();
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(image, first, first + length));
                assertThat(answer.contentRange()).isEqualTo("bytes " + first + "-" + (first + length - 1) + "/" + size);
                assertThat(answer.contentLength()).isEqualTo(length);
            }
        }
        assertThat(recording.requests("getObject")).map(GetObjectRequest.class::cast).extracting(GetObjectRequest::range)
                .containsExactly("bytes=0-99", "bytes=123456-124455", "bytes=" + (size - 500) + "-" + (size - 1),
                        "bytes=" + (size - 1) + "-" + (size - 1));
    }

    @Test
    void givenASuffixRange_whenDownloadedThroughTheService_thenTheLastBytesFromTheBucket() {
        long artifactId = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", image).statusCode(201)
                .extract().jsonPath().getLong("artifacts[0].id");

        Response first = download(artifactId, "bytes=0-9");
        Response middle = download(artifactId, "bytes=150000-150999");
        Response suffix = download(artifactId, "bytes=-700");

        first.then().statusCode(206).header("Content-Range", "bytes 0-9/300000");
        assertThat(first.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 0, 10));
        middle.then().statusCode(206).header("Content-Range", "bytes 150000-150999/300000");
        assertThat(middle.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 150_000, 151_000));
        suffix.then().statusCode(206).header("Content-Range", "bytes 299300-299999/300000");
        assertThat(suffix.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 299_300, 300_000));
    }

    @Test
    void givenNoStaticKeys_whenTheDefaultChainFindsCredentials_thenTheStoreWorksWithThem() throws Exception {
        // the chain's first link: the aws.accessKeyId / aws.secretAccessKey system properties (env AWS_* is next)
        System.setProperty("aws.accessKeyId", S3ProxyResource.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyResource.SECRET_KEY);
        try (S3Client chained = S3ProxyResource.client(endpoint,
                ArtifactStorage.credentials(Optional.empty(), Optional.empty()))) {
            S3ArtifactStore viaChain = new S3ArtifactStore(chained, BUCKET, PREFIX);

            viaChain.put(upload, hashes);

            assertThat(read(viaChain.find(sha256).orElseThrow().entity(0, image.length))).isEqualTo(image);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** Parts an upload holds; an upload the store no longer knows holds none. */
    private int parts(String key, String uploadId) {
        try {
            return s3.listParts(list -> list.bucket(BUCKET).key(key).uploadId(uploadId)).parts().size();
        } catch (S3Exception noSuchUpload) {
            return 0;
        }
    }

    private static String hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
