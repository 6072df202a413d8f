package io.updraft.gateway.api;

import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.api.mapping.PollingSleep;
import io.updraft.support.problem.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The answer when a poll could not be served within {@code first-contact.max-wait} (or the first-contact queue is
 * full): 503 with {@code Retry-After}, never a 500, so an agent comes back instead of counting an error. The delay
 * carries the device's own jitter, so a storm of refused devices does not return as one storm.
 */
final class FirstContactBusy {
    private FirstContactBusy() {
    }

    static Response response(GatewayConfig config, String controllerId) {
        long seconds = PollingSleep.jittered(config.firstContact().retryAfter(), config.polling().jitter(),
                controllerId).toSeconds();
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(503, "Service Unavailable", "the gateway is registering many devices at once;"
                        + " retry after " + seconds + " s"))
                .header(HttpHeaders.RETRY_AFTER, seconds).build();
    }

    /** Thrown from a resource method: ProblemMappers passes a response that has a body through unchanged. */
    static WebApplicationException exception(GatewayConfig config, String controllerId) {
        return new WebApplicationException(response(config, controllerId));
    }
}
