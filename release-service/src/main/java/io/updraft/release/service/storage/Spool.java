package io.updraft.release.service.storage;

import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where upload bytes land while they arrive: each chunk is written to a new file in {@code <storage dir>/.incoming}
 * and fed to the digests in the same pass, so an artifact is read from the network once and never read back to be
 * hashed. The directory sits on the store's volume: keeping a file is a rename ({@link FileSystemArtifactStore}).
 */
public class Spool {
    private static final int BUFFER = 64 * 1024;

    private final Path dir;

    public Spool(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** A file this spool wrote, and what its bytes hash to. The caller owns the file (moves or deletes it). */
    public record SpooledFile(Path path, ArtifactHashes hashes) {
    }

    /**
     * Refuses an upload that announces more bytes than the spool's volume has free, before a byte of it is written.
     *
     * @throws StorageFullException when {@code announced} bytes do not fit
     */
    public void requireRoom(long announced) throws IOException {
        Files.createDirectories(dir);
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (announced > usable) {
            throw StorageFullException.beforeWriting(announced, usable);
        }
    }

    /**
     * Copies {@code in} to a new spool file until it ends, hashing on the way. On any failure (the client went away,
     * a limit of {@code in} was hit, the volume filled up) the partial file is deleted and the exception passes
     * through; a write that fails because the volume is full becomes a {@link StorageFullException}.
     */
    public SpooledFile receive(InputStream in) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(UUID.randomUUID().toString());
        ArtifactHashes.Digesting digesting = new ArtifactHashes.Digesting();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            ByteBuffer chunk = ByteBuffer.wrap(buffer);
            long written = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digesting.update(buffer, 0, read);
                chunk.clear().limit(read);
                try {
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    written += read;
                } catch (IOException failed) {
                    throw writeFailure(failed, written);
                }
            }
            try {
                // durable before anyone renames it into the store and commits a row that points at it
                out.force(true);
            } catch (IOException failed) {
                throw writeFailure(failed, written);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new SpooledFile(file, digesting.result());
    }

    /** Only a failed write (never a failed read from the client) can mean the volume is full. */
    private IOException writeFailure(IOException failed, long written) {
        StorageFullException full = StorageFullException.ifFull(dir, written, failed);
        if (full != null) {
            throw full;
        }
        return failed;
    }

    public Path dir() {
        return dir;
    }
}
