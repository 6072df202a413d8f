package io.updraft.support.artifacts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed references to an artifact's bytes: the gateway (which has authenticated the device) signs,
 * the release-service verifies. HMAC-SHA256 over {@code artifactId:expiresEpochSecond} with a shared key.
 */
public final class ArtifactUrlSigner {
    private final byte[] key;
    private final Clock clock;

    public ArtifactUrlSigner(String key, Clock clock) {
        if (key == null || key.length() < 16) {
            throw new IllegalArgumentException("artifact URL signing key must have at least 16 characters");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    public ArtifactUrlSigner(String key) {
        this(key, Clock.systemUTC());
    }

    /** @return the query string {@code expires=..&signature=..} valid for {@code lifetime} */
    public String sign(long artifactId, Duration lifetime) {
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        return "expires=" + expires + "&signature=" + signature(artifactId, expires);
    }

    public boolean verify(long artifactId, long expires, String signature) {
        if (signature == null || Instant.ofEpochSecond(expires).isBefore(clock.instant())) {
            return false;
        }
        return MessageDigest.isEqual(signature(artifactId, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(long artifactId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((artifactId + ":" + expires).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
