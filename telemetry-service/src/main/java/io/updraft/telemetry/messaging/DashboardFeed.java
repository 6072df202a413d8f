package io.updraft.telemetry.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.EventJson;
import io.updraft.telemetry.service.DashboardBroadcast.DashboardEvent;
import io.updraft.telemetry.service.DashboardBroadcast;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the dashboard topics for this replica's SSE clients. Every replica reads them in its own consumer group from
 * the latest offset: a browser connected to any replica sees every event.
 */
@ApplicationScoped
public class DashboardFeed {
    private static final Logger LOG = Logger.getLogger(DashboardFeed.class);

    @Inject
    DashboardBroadcast broadcast;

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
        broadcast.publish(new DashboardEvent(record.topic(), payload.path("type").asText(""), record.key(), payload));
    }
}
