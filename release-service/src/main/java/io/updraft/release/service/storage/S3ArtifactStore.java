package io.updraft.release.service.storage;

import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Artifacts in an S3-compatible bucket under {@code <prefix><sha256>}, for deployments without a shared volume
 * (Kubernetes), through the AWS SDK client of the Quarkus Amazon S3 extension. An upload up to the multipart threshold
 * is one PUT streamed from the spooled file carrying the MD5 the bytes must have ({@code Content-MD5}, computed while
 * they arrived), so the store itself rejects bytes that changed on the way; a larger one is a multipart upload
 * ({@link MultipartUpload}: parts streamed from the file, each with its Content-MD5, aborted on any failure so no
 * parts are left). Either way an object appears whole or not at all. Downloads stream (ranged) GETs through to the
 * device-gateway: a range is a ranged GetObject, never the whole object. The bytes of a two-step upload wait under
 * {@code <prefix>uploads/<uploadId>}; adopting them is a server-side copy (S3 CopyObject, objects up to 5 GiB) and a
 * DELETE. A store that answers with 507 (no room) raises a {@link StorageFullException}, as a full local volume does.
 */
public class S3ArtifactStore implements ArtifactStore {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9/_.-]{0,200}");
    /** What an S3-compatible store answers when it has no room (MinIO's XMinioStorageFull, Ceph RGW). */
    static final int INSUFFICIENT_STORAGE = 507;

    /** S3's smallest part (all but the last); also the default threshold of stand-alone stores. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final long multipartThreshold;
    private final long partSize;

    public S3ArtifactStore(S3Client s3, String bucket, String prefix) {
        this(s3, bucket, prefix, 64 * 1024 * 1024, 16 * 1024 * 1024);
    }

    /**
     * @param multipartThreshold files larger than this are uploaded in parts
     * @param partSize bytes per part (at least 5 MiB, S3's minimum; raised when a file would need over 10,000 parts)
     */
    public S3ArtifactStore(S3Client s3, String bucket, String prefix, long multipartThreshold, long partSize) {
        if (partSize < MIN_PART_SIZE || multipartThreshold < 1) {
            throw new IllegalArgumentException("multipart part size must be at least 5 MiB (" + MIN_PART_SIZE
                    + " bytes) and the threshold positive: " + partSize + ", " + multipartThreshold);
        }
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
        if (!PREFIX.matcher(prefix).matches() || !PREFIX.matcher(bucket).matches() || bucket.isEmpty()) {
            throw new IllegalArgumentException("bucket and prefix must be [A-Za-z0-9/_.-]: " + bucket + ", " + prefix);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public void put(Path file, ArtifactHashes hashes) throws IOException {
        if (find(hashes.sha256()).isEmpty()) {
            upload(file, key(hashes.sha256()), hashes);
        }
        Files.deleteIfExists(file);
    }

    @Override
    public void stage(Path file, String uploadId, ArtifactHashes hashes) throws IOException {
        upload(file, stagedKey(uploadId), hashes);
        Files.deleteIfExists(file);
    }

    @Override
    public void adopt(String uploadId, String sha256) throws IOException {
        String staged = stagedKey(uploadId);
        if (find(sha256).isEmpty()) {
            try {
                s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(staged)
                        .destinationBucket(bucket).destinationKey(key(sha256)));
            } catch (SdkException e) {
                if (missing(e) && find(sha256).isEmpty()) {
                    throw new IOException("the bytes of upload " + uploadId + " are neither staged nor stored", e);
                }
                if (!missing(e)) {
                    throw failed("copy " + staged + " → " + key(sha256), e);
                }
            }
        }
        discard(uploadId);
    }

    @Override
    public void discard(String uploadId) throws IOException {
        String key = stagedKey(uploadId);
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (!missing(e)) {
                throw failed("DELETE " + key, e);
            }
        }
    }

    @Override
    public Optional<StoredBlob> find(String sha256) throws IOException {
        String key = key(sha256);
        long size;
        try {
            size = s3.headObject(head -> head.bucket(bucket).key(key)).contentLength();
        } catch (SdkException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw failed("HEAD " + key, e);
        }
        return Optional.of(new StoredBlob() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public Object entity(long first, long length) throws IOException {
                return read(key, first, length, size);
            }
        });
    }

    private InputStream read(String key, long first, long length, long size) throws IOException {
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
        if (first != 0 || length != size) {
            get.range("bytes=" + first + "-" + (first + length - 1));
        }
        try {
            return s3.getObject(get.build());
        } catch (SdkException e) {
            throw failed("GET " + key, e);
        }
    }

    /** Content-MD5: every S3-compatible store checks it, so bytes that changed on the way are refused. */
    private void upload(Path file, String key, ArtifactHashes hashes) throws IOException {
        if (Files.size(file) > multipartThreshold) {
            new MultipartUpload(s3, bucket, key, partSize).upload(file);
            return;
        }
        String md5 = Base64.getEncoder().encodeToString(hashes.md5Bytes());
        try {
            s3.putObject(put -> put.bucket(bucket).key(key).contentMD5(md5), RequestBody.fromFile(file));
        } catch (S3Exception e) {
            if (e.statusCode() == INSUFFICIENT_STORAGE) {
                throw StorageFullException.inObjectStore("PUT " + key, e);
            }
            throw failed("PUT " + key, e);
        } catch (SdkException e) {
            throw failed("PUT " + key, e);
        }
    }

    static boolean missing(SdkException e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    static IOException failed(String what, SdkException e) {
        return new IOException("S3 " + what + " failed: " + e.getMessage(), e);
    }

    private String key(String sha256) {
        if (!FileSystemArtifactStore.SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return prefix + sha256;
    }

    private String stagedKey(String uploadId) {
        return prefix + "uploads/" + ArtifactStore.requireUploadId(uploadId);
    }
}
