package io.updraft.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import java.util.Map;

/**
 * The yardstick: the same URL, the same JSON and the same REST stack (blocking resource method, Jackson) as the
 * gateway's "nothing new" poll, minus everything the gateway does (tenant and token check, cache lookup, heartbeat).
 */
@Path("/{tenant}/controller/v1/{controllerId}")
public class BarePollResource {
    public record Poll(Config config, @JsonProperty("_links") Map<String, Object> links) {
    }

    public record Config(Polling polling) {
    }

    public record Polling(String sleep) {
    }

    private static final Poll NOTHING_NEW = new Poll(new Config(new Polling("00:05:00")), Map.of());

    @GET
    @Produces({ "application/json", "application/hal+json" })
    public Poll poll(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId) {
        return new Poll(NOTHING_NEW.config(), Map.of());
    }
}
