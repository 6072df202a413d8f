package io.updraft.release.domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Size and the three hashes devices check (DDI carries sha256, sha1 and md5), computed in one streaming pass so a
 * multi-gigabyte image never sits in memory.
 */
public record ArtifactHashes(long size, String sha256, String sha1, String md5) {
    private static final int BUFFER = 64 * 1024;

    public static ArtifactHashes of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    public static ArtifactHashes of(InputStream in) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest md5 = digest("MD5");
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            sha256.update(buffer, 0, read);
            sha1.update(buffer, 0, read);
            md5.update(buffer, 0, read);
            size += read;
        }
        HexFormat hex = HexFormat.of();
        return new ArtifactHashes(size, hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()),
                hex.formatHex(md5.digest()));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }
}
