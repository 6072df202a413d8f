package io.updraft.gateway.rest;

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

    /** @return the refusal, or null to let the request through */
    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request) {
        List<PathSegment> segments = request.getUriInfo().getPathSegments();
        if (segments.size() < 4 || !"controller".equals(segments.get(1).getPath())
                || !"v1".equals(segments.get(2).getPath())) {
            return null;
        }
        if (!config.tenant().equalsIgnoreCase(segments.get(0).getPath())) {
            return problem(Response.Status.NOT_FOUND, "unknown tenant " + segments.get(0).getPath());
        }
        if (!authenticated(request.getHeaderString(HttpHeaders.AUTHORIZATION), segments.get(3).getPath())) {
            return Response.fromResponse(problem(Response.Status.UNAUTHORIZED,
                    "a valid 'Authorization: TargetToken <token>' or 'GatewayToken <token>' is required"))
                    .header(HttpHeaders.WWW_AUTHENTICATE, TARGET_TOKEN).build();
        }
        return null;
    }

    private boolean authenticated(String authorization, String controllerId) {
        if (config.anonymousEnabled()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2) {
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
