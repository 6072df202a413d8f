package io.updraft.telemetry.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.EventJson;
import io.updraft.telemetry.messaging.streams.ScopedIds;
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
 * the latest offset: a browser connected to any replica sees every event of its tenant (the event's "tenant").
 */
@ApplicationScoped
public class DashboardFeed {
    private static final Logger LOG = Logger.getLogger(DashboardFeed.class);

    @Inject
    DashboardBroadcast broadcast;

    @Incoming(Channels.DASHBOARD_FEED)
    public void onRecord(ConsumerRecord<String, String> record) {
        JsonNode payload;
        String tenant;
        try {
            payload = EventJson.mapper().readTree(record.value());
            tenant = EventJson.tenantOf(record.value());
        } catch (IOException | RuntimeException e) {
            LOG.debugf("dashboard feed skips an unreadable record on %s", record.topic());
            return;
        }
        if (payload == null || !payload.isObject()) {
            return;
        }
        // the key is TENANT/rolloutId for tenants other than DEFAULT: the browser sees the rollout's own id
        String rolloutId = record.key() == null ? null : ScopedIds.idOf(record.key());
        broadcast.publish(new DashboardEvent(tenant, record.topic(), payload.path("type").asText(""), rolloutId,
                payload));
    }
}
