package io.updraft.telemetry.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.common.annotation.Blocking;
import io.updraft.events.DeviceReport.ActionCanceled;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.ActionProgressed;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.support.inbox.Inbox;
import io.updraft.telemetry.service.InstallTally;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class DeviceReportConsumer {
    static final String CONSUMER = "telemetry-service.device-reports";

    @Inject
    Inbox inbox;
    @Inject
    InstallTally installs;

    /** A record that cannot be read or applied throws: the transaction rolls back and it is parked on the DLQ. */
    @Incoming(Channels.DEVICE_REPORTS)
    @Blocking
    public void onReport(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a device-reports record", () -> apply(payload));
    }

    private void apply(String payload) {
        DeviceReport report = EventJson.read(payload, DeviceReport.class);
        // the device's tenant (ADR 0021): a "tenant" that is no tenant id throws, and the record is parked
        String tenant = EventJson.tenantOf(payload);
        if (!inbox.firstDelivery(CONSUMER, report)) {
            return;
        }
        // registrations, attributes, versions and heartbeats say nothing about a rollout's health
        if (report instanceof ActionFinished finished) {
            installs.finished(tenant, finished);
        } else if (report instanceof ActionProgressed progressed) {
            installs.progressed(tenant, progressed);
        } else if (report instanceof ActionCanceled canceled) {
            installs.canceled(tenant, canceled);
        } else if (report instanceof DeviceReport.ActionDenied denied) {
            installs.denied(tenant, denied);
        } else if (report instanceof DeviceReport.ActionExpired expired) {
            installs.expired(tenant, expired);
        }
    }
}
