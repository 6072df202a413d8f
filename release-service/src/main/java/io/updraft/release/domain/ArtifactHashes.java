package io.updraft.release.domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Size and the three hashes devices check (DDI carries sha256, sha1 and md5). An upload is hashed by a
 * {@link Digesting} fed with each chunk as it is written, so the bytes are read once and never sit in memory.
 */
public record ArtifactHashes(long size, String sha256, String sha1, String md5) {
    private static final int BUFFER = 64 * 1024;

    public static ArtifactHashes of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    public static ArtifactHashes of(InputStream in) throws IOException {
        Digesting digesting = new Digesting();
        byte[] buffer = new byte[BUFFER];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            digesting.update(buffer, 0, read);
        }
        return digesting.result();
    }

    /** The raw sha256 digest (32 bytes), e.g. to verify a signature over these bytes without reading them again. */
    public byte[] sha256Bytes() {
        return HexFormat.of().parseHex(sha256);
    }

    public byte[] sha1Bytes() {
        return HexFormat.of().parseHex(sha1);
    }

    public byte[] md5Bytes() {
        return HexFormat.of().parseHex(md5);
    }

    /** The three digests and the byte count of bytes seen so far, chunk by chunk. */
    public static final class Digesting {
        private final MessageDigest sha256 = digest("SHA-256");
        private final MessageDigest sha1 = digest("SHA-1");
        private final MessageDigest md5 = digest("MD5");
        private long size;

        public void update(byte[] bytes, int offset, int length) {
            sha256.update(bytes, offset, length);
            sha1.update(bytes, offset, length);
            md5.update(bytes, offset, length);
            size += length;
        }

        public long size() {
            return size;
        }

        /** Finishes the digests; call once. */
        public ArtifactHashes result() {
            HexFormat hex = HexFormat.of();
            return new ArtifactHashes(size, hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()),
                    hex.formatHex(md5.digest()));
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }
}
