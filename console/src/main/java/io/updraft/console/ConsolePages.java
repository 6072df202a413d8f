package io.updraft.console;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the pages need from the server besides their files: {@code /console-config.json} (the OpenID Connect provider
 * to sign in with, if any) and a Content-Security-Policy that lets the pages talk to this origin and to that provider
 * only.
 */
@ApplicationScoped
public class ConsolePages {
    private final String config;
    private final String csp;

    public ConsolePages(@ConfigProperty(name = "updraft.console.oidc.issuer") Optional<String> issuer,
            @ConfigProperty(name = "updraft.console.oidc.client-id", defaultValue = "updraft-console") String clientId,
            @ConfigProperty(name = "updraft.console.oidc.scope", defaultValue = "openid") String scope) {
        JsonObject body = new JsonObject();
        String connect = "'self'";
        if (issuer.isPresent() && !issuer.get().isBlank()) {
            URI uri = URI.create(issuer.get());
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("updraft.console.oidc.issuer is not an http(s) URL: " + issuer.get());
            }
            body.put("oidc", new JsonObject().put("issuer", issuer.get()).put("clientId", clientId).put("scope", scope));
            connect += " " + uri.getScheme() + "://" + uri.getRawAuthority();
        } else {
            body.putNull("oidc");
        }
        this.config = body.encode();
        this.csp = "default-src 'self'; connect-src " + connect + "; img-src 'self' data:; frame-ancestors 'none';"
                + " base-uri 'none'; form-action 'self'";
    }

    void register(@Observes Router router) {
        router.get("/console-config.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(config));
    }

    /** Called for every request the proxy leaves to the pages. */
    void secure(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", csp);
    }
}
