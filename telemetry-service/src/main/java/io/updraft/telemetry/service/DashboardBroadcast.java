package io.updraft.telemetry.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Fans the dashboard events this replica reads ({@code messaging.DashboardFeed}) out to its SSE clients. A
 * reconnecting browser re-reads the snapshot (REST) for what it missed.
 */
@ApplicationScoped
public class DashboardBroadcast {
    /** Keeps idle connections (and the proxies between) open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final BroadcastProcessor<DashboardEvent> events = BroadcastProcessor.create();

    public void publish(DashboardEvent event) {
        events.onNext(event);
    }

    /**
     * The events of {@code tenant} only (ADR 0021: a dashboard shows its own tenant), starting with a
     * {@code Connected} event, so the browser knows at once that the stream is open.
     */
    public Multi<DashboardEvent> stream(String tenant) {
        Multi<DashboardEvent> pings = Multi.createFrom().ticks().every(KEEP_ALIVE)
                .map(tick -> new DashboardEvent(null, "", "KeepAlive", null, null));
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(new DashboardEvent(null, "", "Connected", null, null)),
                Multi.createBy().merging().streams(events.filter(event -> tenant.equals(event.tenant())), pings));
    }

    /**
     * One record of a dashboard topic; {@code payload} is the event's JSON as published, {@code rolloutId} the
     * rollout's own id. The tenant decides who sees it and is not sent (the payload names it, DEFAULT's does not).
     */
    public record DashboardEvent(@JsonIgnore String tenant, String topic, String type, String rolloutId,
            JsonNode payload) {
    }
}
