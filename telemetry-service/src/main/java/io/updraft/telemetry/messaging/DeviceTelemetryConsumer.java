package io.updraft.telemetry.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.common.annotation.Blocking;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.support.inbox.Inbox;
import io.updraft.telemetry.service.DeviceHealthBook;
import io.updraft.telemetry.service.HealthAttribution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class DeviceTelemetryConsumer {
    static final String CONSUMER = "telemetry-service.device-telemetry";

    @Inject
    Inbox inbox;
    @Inject
    HealthAttribution health;
    @Inject
    DeviceHealthBook latest;

    @Incoming(Channels.DEVICE_TELEMETRY)
    @Blocking
    public void onTelemetry(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a device-telemetry record", () -> apply(payload));
    }

    private void apply(String payload) {
        DeviceTelemetry telemetry = EventJson.read(payload, DeviceTelemetry.class);
        // the device's tenant (ADR 0021): a "tenant" that is no tenant id throws, and the record is parked
        String tenant = EventJson.tenantOf(payload);
        if (!inbox.firstDelivery(CONSUMER, telemetry)) {
            return;
        }
        if (telemetry instanceof HealthReported reported) {
            health.reported(tenant, reported);
            latest.reported(tenant, reported);
        }
    }
}
