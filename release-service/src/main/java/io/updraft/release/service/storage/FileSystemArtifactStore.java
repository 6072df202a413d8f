package io.updraft.release.service.storage;

import io.updraft.release.domain.ArtifactHashes;
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
 * after a kill -9 mid-copy. The bytes of a two-step upload wait in {@code <dir>/.uploads/<uploadId>} until a publish
 * adopts them (a rename) or the upload expires.
 */
public class FileSystemArtifactStore implements ArtifactStore {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String STAGED = ".uploads";

    private final Path root;

    public FileSystemArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(Path file, ArtifactHashes hashes) throws IOException {
        Path target = blob(hashes.sha256());
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
    public void stage(Path file, String uploadId, ArtifactHashes hashes) throws IOException {
        Path target = staged(uploadId);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.move(file, temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void adopt(String uploadId, String sha256) throws IOException {
        Path staged = staged(uploadId);
        Path target = blob(sha256);
        if (Files.exists(target)) {
            Files.deleteIfExists(staged);
            return;
        }
        try {
            // same volume: a rename, whatever the size; atomic, so a reader sees all the bytes or none
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException gone) {
            if (!Files.exists(target)) {
                throw new IOException("the bytes of upload " + uploadId + " are neither staged nor stored", gone);
            }
        }
    }

    @Override
    public void discard(String uploadId) throws IOException {
        Files.deleteIfExists(staged(uploadId));
    }

    /** The staged bytes of an upload (tests and tools). */
    public Optional<Path> locateStaged(String uploadId) {
        Path staged = staged(uploadId);
        return Files.isRegularFile(staged) ? Optional.of(staged) : Optional.empty();
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

    private Path staged(String uploadId) {
        return root.resolve(STAGED).resolve(ArtifactStore.requireUploadId(uploadId));
    }

    private Path blob(String sha256) {
        // the name comes from our own hashing, but it becomes a path: never let it be anything but 64 hex digits
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return root.resolve(sha256);
    }
}
