package io.updraft.gateway.poll;

import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.support.kafka.EventProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns polls into at most one DeviceSeen per device per sampling interval. Lossy by design: a restart or a second
 * replica may send one extra heartbeat, which costs nothing; a database write per poll would.
 */
@ApplicationScoped
public class HeartbeatSampler {
    @Inject
    EventProducer producer;
    @Inject
    GatewayConfig config;

    private final ConcurrentHashMap<String, Instant> lastSent = new ConcurrentHashMap<>();

    public void seen(String controllerId) {
        Instant now = EventMeta.now();
        boolean[] due = { false };
        lastSent.compute(controllerId, (id, last) -> {
            if (last == null || !now.isBefore(last.plus(config.heartbeatSample()))) {
                due[0] = true;
                return now;
            }
            return last;
        });
        if (due[0]) {
            producer.sendLossy(new DeviceReport.DeviceSeen(EventMeta.newId(), now, UpdraftEvent.SCHEMA_VERSION,
                    controllerId));
        }
    }
}
