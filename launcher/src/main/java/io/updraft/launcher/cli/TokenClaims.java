package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What a bearer token says about its holder, read without checking its signature (the services check that): subject,
 * tenant (ADR 0021's {@code tenant} claim), roles ({@code groups}) and expiry. For telling the user whose data a
 * command will reach, never for deciding anything.
 */
record TokenClaims(String subject, String tenant, List<String> roles, Instant expires) {
    static final String PLATFORM_ADMIN = "platform-admin";

    /** The claims of a JWT; {@code null} when {@code token} is no JWT (an opaque token is the services' business). */
    static TokenClaims of(String token) {
        String[] parts = token == null ? new String[0] : token.strip().split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        JsonNode claims;
        try {
            claims = UpdraftApi.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IllegalStateException notJson) {
            return null;
        }
        if (!claims.isObject()) {
            return null;
        }
        List<String> roles = new ArrayList<>();
        claims.path("groups").forEach(role -> roles.add(role.asText()));
        String subject = firstText(claims, "upn", "preferred_username", "sub");
        String tenant = claims.path("tenant").isTextual() ? claims.path("tenant").asText() : null;
        Instant expires = claims.path("exp").canConvertToLong() ? Instant.ofEpochSecond(claims.path("exp").asLong())
                : null;
        return new TokenClaims(subject, tenant, List.copyOf(roles), expires);
    }

    private static String firstText(JsonNode claims, String... names) {
        for (String name : names) {
            if (claims.path(name).isTextual()) {
                return claims.path(name).asText();
            }
        }
        return null;
    }

    boolean platformAdmin() {
        return roles.contains(PLATFORM_ADMIN);
    }

    /**
     * Whose data the token reaches, as the services read it: the claim upper-cased (tenant ids are compared without
     * case and kept upper-case); no claim is the default tenant in single mode, and in multi mode nobody's (a
     * platform administrator's, which manages tenants only).
     */
    String tenantShown() {
        if (tenant != null) {
            return tenant.toUpperCase(Locale.ROOT);
        }
        return platformAdmin() ? "none (platform-admin: manages tenants, sees no tenant's data)"
                : "DEFAULT (no tenant claim: single-tenant mode only; a multi-tenant installation refuses it)";
    }
}
