package io.updraft.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Device tokens are kept only as SHA-256 hex and compared in constant time. */
public final class TargetTokens {
    private TargetTokens() {
    }

    public static String sha256(String token) {
        return HexFormat.of().formatHex(digest(token));
    }

    /** Against the raw 32-byte hash the poll cache keeps. */
    public static boolean matches(String token, byte[] storedSha256) {
        return token != null && storedSha256 != null && MessageDigest.isEqual(digest(token), storedSha256);
    }

    /** Hex (as stored in the database) to raw bytes; null stays null. */
    public static byte[] raw(String sha256Hex) {
        return sha256Hex == null ? null : HexFormat.of().parseHex(sha256Hex);
    }

    /** One digest per thread: looking up the provider on every poll costs more than the hash itself. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static byte[] digest(String token) {
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        return sha256.digest(token.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean matches(String token, String storedSha256) {
        return token != null && storedSha256 != null && MessageDigest.isEqual(
                sha256(token).getBytes(StandardCharsets.US_ASCII), storedSha256.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean sameSecret(String presented, String expected) {
        return presented != null && expected != null && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
