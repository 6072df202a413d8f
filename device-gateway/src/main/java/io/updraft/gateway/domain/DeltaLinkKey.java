package io.updraft.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of delta links: {@code base64url-no-padding(HMAC-SHA256(key, "<tenant>\n<sha256>"))}. Whoever holds a link
 * may fetch that one .zck of that tenant, nothing else; the key is compared in constant time.
 */
public final class DeltaLinkKey {
    public static final int MIN_KEY_BYTES = 32;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final byte[] key;

    private DeltaLinkKey(byte[] key) {
        this.key = key;
    }

    /**
     * @param base64 the configured key
     * @throws IllegalArgumentException if it is not base64 or shorter than {@link #MIN_KEY_BYTES} bytes decoded
     */
    public static DeltaLinkKey of(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("updraft.gateway.delta.link-key is not base64");
        }
        if (decoded.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("updraft.gateway.delta.link-key must be at least " + MIN_KEY_BYTES
                    + " bytes (base64-decoded); it is " + decoded.length);
        }
        return new DeltaLinkKey(decoded);
    }

    /** True for 64 lowercase hex digits, the only form of sha256 a link is made for. */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text).matches();
    }

    public String sign(String tenant, String sha256) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((tenant + "\n" + sha256).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code given} is this tenant's and sha256's key; constant time in the key's bytes. */
    public boolean matches(String tenant, String sha256, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(tenant, sha256).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
