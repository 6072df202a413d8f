package io.updraft.release.service.storage;

import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import io.updraft.zchunk.ZchunkFormatException;
import io.updraft.zchunk.ZchunkHeader;
import io.updraft.zchunk.ZchunkVerifier;
import io.updraft.zchunk.ZchunkWriter;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
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

    /**
     * A file this spool wrote, and what its bytes hash to. The caller owns the file (moves or deletes it).
     * {@code zchunk}: the verified header when the bytes are a zchunk file ({@code \0ZCK1}), else null.
     */
    public record SpooledFile(Path path, ArtifactHashes hashes, ZchunkHeader zchunk) {
        public SpooledFile(Path path, ArtifactHashes hashes) {
            this(path, hashes, null);
        }
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
        ZchunkSniff zchunk = new ZchunkSniff();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            ByteBuffer chunk = ByteBuffer.wrap(buffer);
            long written = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digesting.update(buffer, 0, read);
                zchunk.update(buffer, read);
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
            return new SpooledFile(file, digesting.result(), zchunk.finish());
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Writes the .zck of the spooled {@code plain} image (zck -u --chunk-hash-type sha256, what SWUpdate's delta
     * handler reads) to a new spool file, hashing it as it is written; the header is the one just written.
     */
    public SpooledFile zchunkOf(Path plain) throws IOException {
        Path file = dir.resolve(UUID.randomUUID().toString());
        ArtifactHashes.Digesting digesting = new ArtifactHashes.Digesting();
        try (InputStream in = Files.newInputStream(plain);
             FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = new BufferedOutputStream(new DigestingChannel(channel, digesting), BUFFER)) {
            ZchunkHeader header;
            try {
                header = ZchunkWriter.write(in, out, dir);
                out.flush();
                channel.force(true);
            } catch (IOException failed) {
                throw writeFailure(failed, digesting.size());
            }
            return new SpooledFile(file, digesting.result(), header);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Feeds a {@link ZchunkVerifier} when the bytes start with the zchunk magic; ignores anything else. */
    private static final class ZchunkSniff {
        private static final byte[] MAGIC = {0, 'Z', 'C', 'K', '1'};
        private final byte[] prefix = new byte[MAGIC.length];
        private int seen;
        private ZchunkVerifier verifier;

        void update(byte[] bytes, int length) {
            try {
                int at = 0;
                if (seen < MAGIC.length) {
                    while (at < length && seen < MAGIC.length) {
                        prefix[seen++] = bytes[at++];
                    }
                    if (seen < MAGIC.length) {
                        return;
                    }
                    if (!java.util.Arrays.equals(prefix, MAGIC)) {
                        return;
                    }
                    verifier = new ZchunkVerifier();
                    verifier.update(prefix, 0, prefix.length);
                }
                if (verifier != null) {
                    verifier.update(bytes, at, length - at);
                }
            } catch (ZchunkFormatException e) {
                throw new InvalidZchunkException(e);
            }
        }

        ZchunkHeader finish() {
            try {
                return verifier == null ? null : verifier.finish();
            } catch (ZchunkFormatException e) {
                throw new InvalidZchunkException(e);
            }
        }
    }

    private static final class DigestingChannel extends OutputStream {
        private final FileChannel channel;
        private final ArtifactHashes.Digesting digesting;

        DigestingChannel(FileChannel channel, ArtifactHashes.Digesting digesting) {
            this.channel = channel;
            this.digesting = digesting;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            digesting.update(bytes, offset, length);
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
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
