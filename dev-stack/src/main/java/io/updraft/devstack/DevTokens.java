package io.updraft.devstack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Mints RS256 bearer tokens with MicroProfile JWT {@code groups} (roles: publisher, operator, viewer; platform-admin).
 */
public final class DevTokens {
    private final PrivateKey key;
    private final String issuer;

    DevTokens(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    public String mint(String subject, Duration lifetime, String... roles) {
        return mintFor(DevKeys.AUDIENCE, subject, lifetime, roles);
    }

    /** A token for another audience ({@code null}: no {@code aud} claim), which the services must refuse. */
    public String mintFor(String audience, String subject, Duration lifetime, String... roles) {
        return sign(audience, "", subject, lifetime, roles);
    }

    /**
     * A token of {@code tenant} (the {@code tenant} claim, ADR 0021); {@code tenant} is written as given, so a test can
     * mint one the services must refuse.
     */
    public String mintForTenant(String tenant, String subject, Duration lifetime, String... roles) {
        return mintWithClaim("\"tenant\":\"" + tenant.replace("\\", "\\\\").replace("\"", "\\\"") + "\"", subject,
                lifetime, roles);
    }

    /** A token with one more claim, {@code claimJson} being its JSON member as written ({@code "name":value}). */
    public String mintWithClaim(String claimJson, String subject, Duration lifetime, String... roles) {
        return sign(DevKeys.AUDIENCE, claimJson + ",", subject, lifetime, roles);
    }

    private String sign(String audience, String extraClaims, String subject, Duration lifetime, String... roles) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"updraft-dev\"}";
        String groups = Stream.of(roles).map(r -> "\"" + r.replace("\"", "") + "\"").collect(Collectors.joining(","));
        String payload = "{" + extraClaims + "\"iss\":\"" + issuer + "\"," + (audience == null ? "" : "\"aud\":\"" + audience + "\",")
                + "\"sub\":\"" + subject + "\",\"upn\":\"" + subject + "\","
                + "\"groups\":[" + groups + "],\"iat\":" + now.getEpochSecond() + ",\"exp\":"
                + now.plus(lifetime).getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = base64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A platform administrator's token (ADR 0021): the role {@code platform-admin} and no tenant claim; it may only
     * manage tenants ({@code /api/v1/tenants} of the release-service).
     */
    public String platformAdmin() {
        return mint("platform-admin", Duration.ofDays(1), "platform-admin");
    }

    /** A token with every role, for the launcher and tests that are not about authorisation. */
    public String admin() {
        return mint("updraft-dev", Duration.ofDays(1), "publisher", "operator", "viewer");
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
