package io.updraft.gateway.api;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.config.ServedTenants;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.domain.TargetTokens;
import io.updraft.gateway.service.DeviceViewCache;
import io.updraft.gateway.service.FirstContact;
import io.updraft.gateway.domain.PollView;
import io.updraft.support.problem.Problem;
import io.updraft.support.validation.Inputs;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * DDI authentication ({@code GatewayToken} for any device of its tenant, {@code TargetToken} for its own device of
 * its own tenant only), the tenant check (a tenant this gateway does not serve is 404: {@link ServedTenants}) and the
 * identifier check of tenant and controllerId, for every request matched to a DDI resource ({@link
 * DeviceAuthenticated}); the management API uses bearer JWTs. It decides on the path parameters the router
 * matched (never on a re-parsed path, which an encoded slash once made differ) and, on success, binds a
 * {@link DevicePrincipal} to the request for the resource methods to require. TargetTokens are checked against the
 * cached poll view, so authenticating a poll costs no database access.
 */
public class DdiAuthFilter {
    static final String GATEWAY_TOKEN = "GatewayToken";
    static final String TARGET_TOKEN = "TargetToken";

    @Inject
    GatewayConfig config;
    @Inject
    ServedTenants served;
    @Inject
    DeviceViewCache views;
    @Inject
    FirstContact firstContact;

    /**
     * Runs on whatever thread the endpoint runs on (the I/O thread for the poll). A TargetToken is checked against the
     * cached view at once; a view not in memory is loaded by {@link FirstContact} (503 + Retry-After if that takes
     * longer than {@code first-contact.max-wait}). Synchronous, suspending the request only for that load: a filter
     * returning a {@code Uni} made every request subscribe to one, and each subscription captured the thread's
     * context (CDI, transaction) for propagation, a few percent of a poll's CPU.
     */
    @ServerRequestFilter
    @DeviceAuthenticated
    public void authenticate(ResteasyReactiveContainerRequestContext request) {
        ResteasyReactiveRequestContext matched = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        String tenant = matched.getPathParameter("tenant", false);
        String controllerId = matched.getPathParameter("controllerId", false);
        // identifiers first (a cheap char loop), before any cache lookup or database access
        if (!Inputs.isIdentifier(tenant) || !Inputs.isIdentifier(controllerId)) {
            request.abortWith(problem(Response.Status.BAD_REQUEST, "tenant and controllerId must be 1-"
                    + Inputs.MAX_IDENTIFIER + " characters of A-Z a-z 0-9 . _ - ~ : @ +, starting with a letter or"
                    + " digit"));
            return;
        }
        String tenantId = served.ofPath(tenant); // the tenant's canonical id, if this gateway serves it
        if (tenantId == null) {
            request.abortWith(problem(Response.Status.NOT_FOUND, "unknown tenant"));
            return;
        }
        String key = DeviceKeys.of(tenantId, controllerId);
        String[] credentials = split(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        String targetToken = credentials != null && TARGET_TOKEN.equalsIgnoreCase(credentials[0]) ? credentials[1]
                : null;
        PollView cached = views.peek(key);
        if (targetToken != null && !config.anonymousEnabled() && cached == null) {
            // loaded with other such requests in one batch (no connection per request); resumed on a worker, as the
            // endpoints after this filter may block
            Uni<Response> verdict = Uni.createFrom().completionStage(() -> firstContact.load(tenantId, controllerId))
                    .ifNoItem().after(config.firstContact().maxWait()).fail()
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(view -> view.known() && TargetTokens.matches(targetToken, view.tokenSha256()) ? null
                            : unauthorized())
                    .onFailure().recoverWithItem(() -> {
                        firstContact.refused();
                        return FirstContactBusy.response(config, controllerId);
                    });
            // as RESTEasy Reactive does for a filter's Uni: a refusal aborts (and resumes), a pass resumes
            request.suspend();
            verdict.subscribe().with(response -> {
                if (response != null) {
                    request.abortWith(response);
                } else {
                    new DevicePrincipal(tenantId, controllerId, DevicePrincipal.Kind.TARGET_TOKEN).bind(matched);
                    request.resume();
                }
            }, request::resume);
            return;
        }
        DevicePrincipal.Kind kind = authenticated(tenantId, credentials, cached);
        if (kind == null) {
            request.abortWith(unauthorized());
            return;
        }
        new DevicePrincipal(tenantId, controllerId, kind).bind(matched);
    }

    /** 401 problem+json with the challenge agents expect. */
    static Response unauthorized() {
        return Response.fromResponse(problem(Response.Status.UNAUTHORIZED,
                "a valid 'Authorization: TargetToken <token>' or 'GatewayToken <token>' is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, TARGET_TOKEN).build();
    }

    /** {@code "<scheme> <credentials>"} → {scheme, credentials}, else null; by hand: this runs on every request. */
    static String[] split(String authorization) {
        if (authorization == null) {
            return null;
        }
        int end = authorization.length();
        int start = 0;
        while (start < end && Character.isWhitespace(authorization.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(authorization.charAt(end - 1))) {
            end--;
        }
        int gap = start;
        while (gap < end && !Character.isWhitespace(authorization.charAt(gap))) {
            gap++;
        }
        int credentials = gap;
        while (credentials < end && Character.isWhitespace(authorization.charAt(credentials))) {
            credentials++;
        }
        if (gap == start || credentials == end) {
            return null;
        }
        return new String[] { authorization.substring(start, gap), authorization.substring(credentials, end) };
    }

    /** How the request proved it may act for the device, or null if it did not. */
    private DevicePrincipal.Kind authenticated(String tenant, String[] parts, PollView cached) {
        if (config.anonymousEnabled()) {
            return DevicePrincipal.Kind.ANONYMOUS;
        }
        if (parts == null) {
            return null;
        }
        if (GATEWAY_TOKEN.equalsIgnoreCase(parts[0])) {
            // a tenant's gateway token is valid on its own tenant's paths only
            return served.gatewayToken(tenant).filter(expected -> TargetTokens.sameSecret(parts[1], expected))
                    .isPresent()
                    ? DevicePrincipal.Kind.GATEWAY_TOKEN : null;
        }
        if (TARGET_TOKEN.equalsIgnoreCase(parts[0])) {
            return cached != null && cached.known() && TargetTokens.matches(parts[1], cached.tokenSha256())
                    ? DevicePrincipal.Kind.TARGET_TOKEN : null;
        }
        return null;
    }

    private static Response problem(Response.Status status, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail)).build();
    }
}
