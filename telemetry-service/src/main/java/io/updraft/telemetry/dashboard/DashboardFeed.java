package io.updraft.telemetry.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.updraft.events.EventJson;
import io.updraft.telemetry.messaging.Channels;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Fans the dashboard topics out to this replica's SSE clients. Every replica reads them in its own consumer group
 * from the latest offset: a browser connected to any replica sees every event, and a reconnecting browser re-reads
 * the snapshot (REST) for what it missed.
 */
@ApplicationScoped
public class DashboardFeed {
    private static final Logger LOG = Logger.getLogger(DashboardFeed.class);
    /** Keeps idle connections (and the proxies between) open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final BroadcastProcessor<DashboardEvent> events = BroadcastProcessor.create();

    @Incoming(Channels.DASHBOARD_FEED)
    public void onRecord(ConsumerRecord<String, String> record) {
        JsonNode payload;
        try {
            payload = EventJson.mapper().readTree(record.value());
        } catch (IOException | RuntimeException e) {
            LOG.debugf("dashboard feed skips an unreadable record on %s", record.topic());
            return;
        }
        if (payload == null || !payload.isObject()) {
            return;
        }
        events.onNext(new DashboardEvent(record.topic(), payload.path("type").asText(""), record.key(), payload));
    }

    /** Starts with a {@code Connected} event, so the browser knows at once that the stream is open. */
    public Multi<DashboardEvent> stream() {
        Multi<DashboardEvent> pings = Multi.createFrom().ticks().every(KEEP_ALIVE)
                .map(tick -> new DashboardEvent("", "KeepAlive", null, null));
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(new DashboardEvent("", "Connected", null, null)),
                Multi.createBy().merging().streams(events, pings));
    }

    /** One record of a dashboard topic; {@code payload} is the event's JSON as published. */
    public record DashboardEvent(String topic, String type, String rolloutId, JsonNode payload) {
    }
}
