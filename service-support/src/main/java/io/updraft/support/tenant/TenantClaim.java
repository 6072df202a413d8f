package io.updraft.support.tenant;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.updraft.events.TenantIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Reads the verified token's {@code tenant} claim once, when the identity is built (ADR 0021), and keeps it on the
 * identity as {@link Tenants#ATTRIBUTE}. A claim that is not a tenant id fails the authentication (401). In single mode
 * a token without the claim is {@link TenantIds#DEFAULT}'s, and one naming another tenant keeps its name but none of
 * its roles: it was issued for a tenant this installation does not serve, so every protected resource answers 403.
 */
@ApplicationScoped
public class TenantClaim implements SecurityIdentityAugmentor {
    public static final String CLAIM = "tenant";

    @Inject
    TenancyConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Object claim = token.getClaim(CLAIM);
        String tenant;
        if (claim == null) {
            tenant = config.mode() == TenancyConfig.Mode.MULTI ? null : TenantIds.DEFAULT;
        } else {
            String text = claim instanceof JsonString json ? json.getString() : claim instanceof String s ? s : null;
            if (!TenantIds.isValid(text)) {
                return Uni.createFrom().failure(new AuthenticationFailedException(
                        "the token's tenant claim is not a tenant id"));
            }
            tenant = TenantIds.canonical(text);
        }
        QuarkusSecurityIdentity.Builder builder;
        if (config.mode() == TenancyConfig.Mode.SINGLE && !TenantIds.DEFAULT.equals(tenant)) {
            builder = QuarkusSecurityIdentity.builder()
                    .setPrincipal(identity.getPrincipal())
                    .addCredentials(identity.getCredentials())
                    .addAttributes(identity.getAttributes());
        } else {
            builder = QuarkusSecurityIdentity.builder(identity);
        }
        if (tenant != null) {
            builder.addAttribute(Tenants.ATTRIBUTE, tenant);
        }
        return Uni.createFrom().item(builder.build());
    }
}
