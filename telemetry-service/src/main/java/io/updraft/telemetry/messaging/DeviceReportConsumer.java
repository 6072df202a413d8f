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
        if (!inbox.firstDelivery(CONSUMER, report)) {
            return;
        }
        // registrations, attributes, versions and heartbeats say nothing about a rollout's health
        if (report instanceof ActionFinished finished) {
            installs.finished(finished);
        } else if (report instanceof ActionProgressed progressed) {
            installs.progressed(progressed);
        } else if (report instanceof ActionCanceled canceled) {
            installs.canceled(canceled);
        } else if (report instanceof DeviceReport.ActionDenied denied) {
            installs.denied(denied);
        } else if (report instanceof DeviceReport.ActionExpired expired) {
            installs.expired(expired);
        }
    }
}
