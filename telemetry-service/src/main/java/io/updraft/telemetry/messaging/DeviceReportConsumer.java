package io.updraft.telemetry.messaging;

import io.smallrye.common.annotation.Blocking;
import io.updraft.events.DeviceReport.ActionCanceled;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.ActionProgressed;
import io.updraft.events.DeviceReport;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.service.InstallTally;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Install results and progress per rollout and cohort, for the dashboards: a polled batch in one transaction
 * ({@link BatchConsumption}), not one commit per report, its cohort counters written once per cohort at its end
 * ({@link CohortStatsRepository#gathered}). A record that cannot be read (or names no tenant) is parked on
 * the dead-letter topic and the batch goes on; if the batch's transaction fails, its records are applied one at a time
 * and only the one that fails is parked; while the database is down the batch is held, not parked.
 */
@ApplicationScoped
public class DeviceReportConsumer {
    static final String CONSUMER = "telemetry-service.device-reports";

    @Inject
    Inbox inbox;
    @Inject
    InstallTally installs;
    @Inject
    BatchConsumption batches;
    /** A batch's cohort counters are written once per cohort at its end. */
    @Inject
    CohortStatsRepository stats;
    @ConfigProperty(name = "mp.messaging.incoming.device-reports.dead-letter-queue.topic")
    String deadLetterTopic;

    @Incoming(Channels.DEVICE_REPORTS)
    @Blocking
    public void onReports(ConsumerRecords<String, String> records) {
        batches.applyBatch(records, deadLetterTopic, payload -> TenantEvent.read(payload, DeviceReport.class),
                all -> stats.gathered(() -> all.forEach(this::apply)), this::apply);
    }

    /**
     * Registrations, attributes, versions and heartbeats say nothing about a rollout's health: they are skipped
     * before the inbox, which then holds only the reports that count (a fleet's heartbeats are most of the topic).
     */
    static boolean counts(DeviceReport report) {
        return report instanceof ActionFinished || report instanceof ActionProgressed
                || report instanceof ActionCanceled || report instanceof DeviceReport.ActionDenied
                || report instanceof DeviceReport.ActionExpired;
    }

    private void apply(TenantEvent<DeviceReport> read) {
        DeviceReport report = read.event();
        String tenant = read.tenant();
        if (!counts(report) || !inbox.firstDelivery(CONSUMER, report)) {
            return;
        }
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
