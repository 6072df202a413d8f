package io.updraft.bench;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/**
 * The yardstick: the same URL and the same JSON bytes as the gateway's "nothing new" poll, answered the cheapest way
 * Quarkus REST allows — on the event loop (as the gateway's poll, which returns a {@code Uni}), a constant written
 * as is (as the gateway's {@code DdiPollWriter} writes fixed bytes), no metrics — minus everything the gateway does
 * (tenant and token check, cache lookup, heartbeat). Until 28 Nov 2026 this was a blocking method serialised by
 * Jackson: a worker-thread hop and a serialisation the gateway does not pay, which flattered the gateway's ratio.
 */
@Path("/{tenant}/controller/v1/{controllerId}")
public class BarePollResource {
    /** Byte for byte what the gateway answers a device with nothing new and a 5-minute polling interval. */
    static final String NOTHING_NEW = "{\"config\":{\"polling\":{\"sleep\":\"00:05:00\"}},\"_links\":{}}";

    @GET
    @NonBlocking
    @Produces({ "application/json", "application/hal+json" })
    public String poll(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId) {
        return NOTHING_NEW;
    }
}
