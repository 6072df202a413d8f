package io.updraft.release.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed artifact bytes: one immutable blob per sha256, shared by every release that contains it.
 * Implementations: {@link FileSystemArtifactStore} (default) and {@link S3ArtifactStore}.
 */
public interface ArtifactStore {

    /**
     * Takes ownership of {@code file} (it may be moved away or deleted) and makes its bytes readable under
     * {@code sha256}. Storing bytes that are already there is a no-op, so a retry or a concurrent upload of the same
     * file is safe. A reader never sees a partly written blob.
     */
    void put(Path file, String sha256) throws IOException;

    /** The stored blob, or empty when the store does not hold {@code sha256}. */
    Optional<StoredBlob> find(String sha256) throws IOException;

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
