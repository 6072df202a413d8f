package io.updraft.release.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One file uploaded to S3 in parts (CreateMultipartUpload, UploadPart…, CompleteMultipartUpload): each part is streamed
 * from its region of the file (read again if the SDK retries it), never held in memory, and carries its Content-MD5, so
 * the store refuses a part whose bytes changed on the way. Any failure aborts the upload, so the bucket keeps no
 * parts (which would be billed and never seen); the object appears only on completion.
 */
final class MultipartUpload {
    private static final Logger LOG = Logger.getLogger(MultipartUpload.class);
    /** S3 allows at most this many parts per upload. */
    static final int MAX_PARTS = 10_000;
    private static final int MD5_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final long partSize;

    MultipartUpload(S3Client s3, String bucket, String key, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
    }

    void upload(Path file) throws IOException {
        long size = java.nio.file.Files.size(file);
        long part = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw failure("CreateMultipartUpload " + key, e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += part) {
                parts.add(uploadPart(file, uploadId, parts.size() + 1, offset, Math.min(part, size - offset)));
            }
            s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (SdkException e) {
            abort(uploadId, e);
            throw failure("multipart upload of " + key, e);
        } catch (IOException | RuntimeException | Error e) {
            abort(uploadId, e);
            throw e;
        }
    }

    private CompletedPart uploadPart(Path file, String uploadId, int number, long offset, long length)
            throws IOException {
        String md5 = Base64.getEncoder().encodeToString(md5(file, offset, length));
        String etag = s3.uploadPart(upload -> upload.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength(length).contentMD5(md5),
                RequestBody.fromContentProvider(() -> region(file, offset, length), length, "application/octet-stream"))
                .eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private void abort(String uploadId, Throwable cause) {
        try {
            s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // the upload's parts stay until a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them
            cause.addSuppressed(e);
            LOG.warnf("could not abort multipart upload %s of %s: %s", uploadId, key, e.getMessage());
        }
    }

    /** A stream of {@code length} bytes of {@code file} from {@code offset}; closing it closes the file. */
    private static InputStream region(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new BoundedStream(in, length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] md5(Path file, long offset, long length) throws IOException {
        try (InputStream in = region(file, offset, length)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[MD5_BUFFER];
            for (int read; (read = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, read);
            }
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A store without room answers 507: storage full, as a full local volume is; anything else an I/O failure. */
    private static IOException failure(String what, SdkException e) {
        if (e instanceof S3Exception s3 && s3.statusCode() == S3ArtifactStore.INSUFFICIENT_STORAGE) {
            throw StorageFullException.inObjectStore(what, e);
        }
        return S3ArtifactStore.failed(what, e);
    }

    /** At most {@code remaining} bytes of an underlying stream. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, off, (int) Math.min(len, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
