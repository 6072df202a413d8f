package io.updraft.release.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.PathPart;

/**
 * Stores each artifact as {@code <dir>/<sha256>}. Bytes land in a temporary file in the same directory first and
 * are renamed atomically, so a reader (or a replica sharing the volume) never sees a half-written artifact, even
 * after a kill -9 mid-copy.
 */
public class FileSystemArtifactStore implements ArtifactStore {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public FileSystemArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(Path file, String sha256) throws IOException {
        Path target = blob(sha256);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(root);
        Path temp = root.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            // A rename when the upload was spooled on the same volume, a copy otherwise.
            Files.move(file, temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException sameBytesStoredConcurrently) {
            // another request stored the same sha256 between our check and our rename: same name, same bytes
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<StoredBlob> find(String sha256) throws IOException {
        Path blob = blob(sha256);
        if (!Files.isRegularFile(blob)) {
            return Optional.empty();
        }
        long size = Files.size(blob);
        return Optional.of(new StoredBlob() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public Object entity(long first, long length) {
                return new PathPart(blob, first, length);
            }
        });
    }

    /** The stored file (tests and tools). */
    public Optional<Path> locate(String sha256) {
        Path blob = blob(sha256);
        return Files.isRegularFile(blob) ? Optional.of(blob) : Optional.empty();
    }

    private Path blob(String sha256) {
        // the name comes from our own hashing, but it becomes a path: never let it be anything but 64 hex digits
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return root.resolve(sha256);
    }
}
