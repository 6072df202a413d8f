package io.updraft.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.device.TargetTokens;
import io.updraft.gateway.poll.DeviceViewCache;
import io.updraft.gateway.poll.PollView;
import io.updraft.support.problem.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

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

    /**
     * Runs on whatever thread the endpoint runs on (the I/O thread for the poll). A TargetToken is checked against the
     * cached view at once; only a view not in memory is loaded, on a worker.
     *
     * @return the refusal, or a null item to let the request through
     */
    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        List<PathSegment> segments = request.getUriInfo().getPathSegments();
        if (segments.size() < 4 || !"controller".equals(segments.get(1).getPath())
                || !"v1".equals(segments.get(2).getPath())) {
            return Uni.createFrom().nullItem();
        }
        if (!config.tenant().equalsIgnoreCase(segments.get(0).getPath())) {
            return Uni.createFrom().item(problem(Response.Status.NOT_FOUND, "unknown tenant "
                    + segments.get(0).getPath()));
        }
        String controllerId = segments.get(3).getPath();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String targetToken = targetToken(authorization);
        if (targetToken != null && !config.anonymousEnabled() && views.peek(controllerId) == null) {
            return Uni.createFrom().item(() -> verdict(authenticated(authorization, controllerId)))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().item(verdict(authenticated(authorization, controllerId)));
    }

    private static Response verdict(boolean authenticated) {
        return authenticated ? null : Response.fromResponse(problem(Response.Status.UNAUTHORIZED,
                "a valid 'Authorization: TargetToken <token>' or 'GatewayToken <token>' is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, TARGET_TOKEN).build();
    }

    /** The token of an {@code Authorization: TargetToken <t>} header, else null. */
    private static String targetToken(String authorization) {
        String[] parts = split(authorization);
        return parts != null && TARGET_TOKEN.equalsIgnoreCase(parts[0]) ? parts[1] : null;
    }

    private static String[] split(String authorization) {
        if (authorization == null) {
            return null;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        return parts.length == 2 ? parts : null;
    }

    private boolean authenticated(String authorization, String controllerId) {
        if (config.anonymousEnabled()) {
            return true;
        }
        String[] parts = split(authorization);
        if (parts == null) {
            return false;
        }
        if (GATEWAY_TOKEN.equalsIgnoreCase(parts[0])) {
            return config.gatewayToken().map(expected -> TargetTokens.sameSecret(parts[1], expected)).orElse(false);
        }
        if (TARGET_TOKEN.equalsIgnoreCase(parts[0])) {
            PollView view = views.get(controllerId);
            return view.known() && TargetTokens.matches(parts[1], view.tokenSha256());
        }
        return false;
    }

    private static Response problem(Response.Status status, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail)).build();
    }
}
