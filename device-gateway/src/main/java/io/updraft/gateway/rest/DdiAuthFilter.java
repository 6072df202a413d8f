package io.updraft.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.device.TargetTokens;
import io.updraft.gateway.poll.DeviceViewCache;
import io.updraft.gateway.poll.FirstContact;
import io.updraft.gateway.poll.PollView;
import io.updraft.support.problem.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * DDI authentication ({@code GatewayToken} for any device, {@code TargetToken} for its own device only) and the
 * tenant check, on {@code /{tenant}/controller/v1/{controllerId}/**} only; the management API uses bearer JWTs.
 * TargetTokens are checked against the cached poll view, so authenticating a poll costs no database access.
 */
public class DdiAuthFilter {
    static final String GATEWAY_TOKEN = "GatewayToken";
    static final String TARGET_TOKEN = "TargetToken";

    @Inject
    GatewayConfig config;
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
    public void authenticate(ResteasyReactiveContainerRequestContext request) {
        List<PathSegment> segments = request.getUriInfo().getPathSegments();
        if (segments.size() < 4 || !"controller".equals(segments.get(1).getPath())
                || !"v1".equals(segments.get(2).getPath())) {
            return;
        }
        if (!config.tenant().equalsIgnoreCase(segments.get(0).getPath())) {
            request.abortWith(problem(Response.Status.NOT_FOUND, "unknown tenant " + segments.get(0).getPath()));
            return;
        }
        String controllerId = segments.get(3).getPath();
        String[] credentials = split(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        String targetToken = credentials != null && TARGET_TOKEN.equalsIgnoreCase(credentials[0]) ? credentials[1]
                : null;
        PollView cached = views.peek(controllerId);
        if (targetToken != null && !config.anonymousEnabled() && cached == null) {
            // loaded with other such requests in one batch (no connection per request); resumed on a worker, as the
            // endpoints after this filter may block
            Uni<Response> verdict = Uni.createFrom().completionStage(() -> firstContact.load(controllerId))
                    .ifNoItem().after(config.firstContact().maxWait()).fail()
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(view -> verdict(view.known() && TargetTokens.matches(targetToken, view.tokenSha256())))
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
                    request.resume();
                }
            }, request::resume);
            return;
        }
        if (!authenticated(credentials, cached)) {
            request.abortWith(verdict(false));
        }
    }

    private static Response verdict(boolean authenticated) {
        return authenticated ? null : Response.fromResponse(problem(Response.Status.UNAUTHORIZED,
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

    private boolean authenticated(String[] parts, PollView cached) {
        if (config.anonymousEnabled()) {
            return true;
        }
        if (parts == null) {
            return false;
        }
        if (GATEWAY_TOKEN.equalsIgnoreCase(parts[0])) {
            return config.gatewayToken().map(expected -> TargetTokens.sameSecret(parts[1], expected)).orElse(false);
        }
        if (TARGET_TOKEN.equalsIgnoreCase(parts[0])) {
            return cached != null && cached.known() && TargetTokens.matches(parts[1], cached.tokenSha256());
        }
        return false;
    }

    private static Response problem(Response.Status status, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail)).build();
    }
}
