package io.updraft.fleet;

import io.updraft.zchunk.BuzhashChunker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The image a delta client runs, shared by every simulated device on that version: in memory or in a file, chunked
 * once (on first use) with libzck's chunking ({@link BuzhashChunker}, what SWUpdate's delta handler does to the
 * running image), indexed by each chunk's uncompressed SHA-256 — what a .zck header lists per chunk.
 */
public final class SourceImage {
    private final byte[] bytes;
    private final Path file;
    private volatile Map<String, long[]> index;

    private SourceImage(byte[] bytes, Path file) {
        this.bytes = bytes;
        this.file = file;
    }

    public static SourceImage of(byte[] image) {
        return new SourceImage(image.clone(), null);
    }

    public static SourceImage of(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException("source image " + image + " is not a file");
        }
        return new SourceImage(null, image);
    }

    /** Uncompressed SHA-256 (hex) → {offset, length} of a chunk of this image with that checksum. */
    Map<String, long[]> index() {
        Map<String, long[]> built = index;
        if (built == null) {
            synchronized (this) {
                built = index;
                if (built == null) {
                    built = chunk();
                    index = built;
                }
            }
        }
        return built;
    }

    /** Chunks in the index. */
    public int chunkCount() {
        return index().size();
    }

    /** The bytes {@code [offset, offset + length)}. */
    byte[] read(long offset, int length) {
        if (bytes != null) {
            byte[] copy = new byte[length];
            System.arraycopy(bytes, (int) offset, copy, 0, length);
            return copy;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(file + " ends before byte " + (offset + length));
                }
            }
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, long[]> chunk() {
        Map<String, long[]> chunks = new HashMap<>();
        MessageDigest sha256 = sha256();
        long[] offset = {0};
        BuzhashChunker chunker = new BuzhashChunker((chunk, length) -> {
            sha256.update(chunk, 0, length);
            chunks.putIfAbsent(HexFormat.of().formatHex(sha256.digest()), new long[] {offset[0], length});
            offset[0] += length;
        });
        try {
            if (bytes != null) {
                chunker.update(bytes, 0, bytes.length);
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        chunker.update(buffer, 0, n);
                    }
                }
            }
            chunker.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("chunking source image " + file, e);
        }
        return Map.copyOf(chunks);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
