package io.updraft.release.service.storage;

import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Content-addressed artifact bytes: one immutable blob per sha256, shared by every release that contains it.
 * Implementations: {@link FileSystemArtifactStore} (default) and {@link S3ArtifactStore}.
 */
public interface ArtifactStore {
    /** Upload ids are UUIDs; they become file names and object keys, so nothing else is accepted. */
    Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Takes ownership of {@code file} (it may be moved away or deleted) and makes its bytes readable under
     * their sha256. {@code hashes} are what the bytes hash to (computed while they arrived; a remote store checks
     * them again). Storing bytes that are already there is a no-op, so a retry or a concurrent upload of the same
     * file is safe. A reader never sees a partly written blob.
     */
    void put(Path file, ArtifactHashes hashes) throws IOException;

    /**
     * Takes ownership of {@code file} and keeps its bytes as the staged content of a two-step upload, apart from the
     * content-addressed blobs, until {@link #adopt} or {@link #discard}. Every replica sees them (the same volume or
     * bucket), so the publish that references the upload may reach another replica than its PUT. {@code hashes} are
     * what the bytes hash to (computed while they arrived; a remote store checks them again).
     */
    void stage(Path file, String uploadId, ArtifactHashes hashes) throws IOException;

    /**
     * Makes the staged bytes of {@code uploadId} readable under {@code sha256} and drops the staged copy. Idempotent:
     * when the staged copy is already gone but the blob is there (a retry after a crash), nothing happens.
     *
     * @throws IOException when neither the staged bytes nor the blob exist
     */
    void adopt(String uploadId, String sha256) throws IOException;

    /** Deletes the staged bytes of an upload that was refused or expired; nothing when there are none. */
    void discard(String uploadId) throws IOException;

    /** The stored blob, or empty when the store does not hold {@code sha256}. */
    Optional<StoredBlob> find(String sha256) throws IOException;

    static String requireUploadId(String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return uploadId;
    }

    /** Readable bytes of one blob. */
    interface StoredBlob {
        long size();

        /**
         * A JAX-RS entity streaming {@code length} bytes from {@code first}: a file region the server can hand to
         * the OS (sendfile), or a stream from the remote store — never the whole blob in memory.
         */
        Object entity(long first, long length) throws IOException;
    }
}
