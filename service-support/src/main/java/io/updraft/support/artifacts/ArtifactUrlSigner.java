package io.updraft.support.artifacts;

import io.updraft.events.TenantIds;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed references to an artifact's bytes: the gateway (which has authenticated the device) signs,
 * the release-service verifies. HMAC-SHA256 over {@code artifactId:expiresEpochSecond} with a shared key.
 *
 * <p>Tenants (ADR 0021): a link of an artifact of a tenant other than {@link TenantIds#DEFAULT} names it
 * ({@code tenant=ACME&expires=..&signature=..}) and its signature covers it ({@code TENANT:artifactId:expires}), so a
 * link cannot be re-pointed to another tenant; {@code DEFAULT}'s links are what they were before tenants existed (a
 * tenant id has no {@code :}, so no message of one form is a message of the other).
 *
 * <p>Key rotation: signing always uses the current key; verification also accepts the previous keys
 * ({@code updraft.artifacts.url-signing-previous-keys}), so a link signed just before a key change stays valid until
 * it expires. A key no longer listed verifies nothing (docs/operations/key-rotation.md).
 */
public final class ArtifactUrlSigner {
    static final int MIN_KEY_LENGTH = 16;

    private final byte[] key;
    private final List<byte[]> acceptedKeys;
    private final Clock clock;

    public ArtifactUrlSigner(String key, List<String> previousKeys, Clock clock) {
        this.key = bytes(key);
        List<byte[]> accepted = new ArrayList<>();
        accepted.add(this.key);
        for (String previous : previousKeys) {
            accepted.add(bytes(previous));
        }
        this.acceptedKeys = List.copyOf(accepted);
        this.clock = clock;
    }

    public ArtifactUrlSigner(String key, Clock clock) {
        this(key, List.of(), clock);
    }

    public ArtifactUrlSigner(String key) {
        this(key, List.of(), Clock.systemUTC());
    }

    /**
     * The signer of a service's configuration: {@code previousKeys} is the comma-separated value of
     * {@code updraft.artifacts.url-signing-previous-keys} (blank entries are ignored; absent means none).
     */
    public static ArtifactUrlSigner configured(String key, Optional<String> previousKeys) {
        List<String> previous = previousKeys.stream()
                .flatMap(list -> Arrays.stream(list.split(",")))
                .map(String::trim).filter(entry -> !entry.isEmpty()).toList();
        return new ArtifactUrlSigner(key, previous, Clock.systemUTC());
    }

    /** @return the query string {@code expires=..&signature=..} valid for {@code lifetime}, signed by the current key */
    public String sign(long artifactId, Duration lifetime) {
        return sign(TenantIds.DEFAULT, artifactId, lifetime);
    }

    /**
     * @param tenant the artifact's canonical tenant id
     * @return the query string valid for {@code lifetime}, signed by the current key: {@code expires=..&signature=..}
     *         for {@link TenantIds#DEFAULT}, else {@code tenant=TENANT&expires=..&signature=..}
     */
    public String sign(String tenant, long artifactId, Duration lifetime) {
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        String signature = HexFormat.of().formatHex(mac(key, message(tenant, artifactId, expires)));
        return (TenantIds.isDefault(tenant) ? "" : "tenant=" + tenant + "&") + "expires=" + expires + "&signature="
                + signature;
    }

    /** True when {@code signature} is the current or a previous key's signature and {@code expires} is not past. */
    public boolean verify(long artifactId, long expires, String signature) {
        return verify(TenantIds.DEFAULT, artifactId, expires, signature);
    }

    /**
     * True when {@code signature} is the current or a previous key's signature of this artifact in {@code tenant} (its
     * canonical id, as the link names it; {@link TenantIds#DEFAULT} for a link naming none) and {@code expires} is not
     * past.
     */
    public boolean verify(String tenant, long artifactId, long expires, String signature) {
        // compared as numbers: any long is a harmless expiry, none can overflow an Instant
        if (signature == null || expires < clock.instant().getEpochSecond()) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        boolean valid = false;
        for (byte[] accepted : acceptedKeys) {
            // every key is tried, so the time taken does not tell which one matched
            valid |= MessageDigest.isEqual(mac(accepted, message(tenant, artifactId, expires)), given);
        }
        return valid;
    }

    private static byte[] bytes(String key) {
        if (key == null || key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "artifact URL signing keys must have at least " + MIN_KEY_LENGTH + " characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static String message(String tenant, long artifactId, long expires) {
        String link = artifactId + ":" + expires;
        return TenantIds.isDefault(tenant) ? link : tenant + ":" + link;
    }

    private static byte[] mac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
