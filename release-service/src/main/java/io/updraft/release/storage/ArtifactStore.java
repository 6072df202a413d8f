package io.updraft.release.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Content-addressed artifact bytes: one immutable blob per sha256, shared by every release that contains it. */
public interface ArtifactStore {

    /**
     * Takes ownership of {@code file} (it may be moved away) and makes its bytes readable under {@code sha256}.
     * Storing bytes that are already there is a no-op, so a retry or a concurrent upload of the same file is safe.
     */
    void put(Path file, String sha256) throws IOException;

    /**
     * The stored file, so the HTTP layer can hand it to the OS (sendfile) instead of copying it through the heap.
     */
    Optional<Path> locate(String sha256);
}
