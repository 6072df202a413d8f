package io.updraft.telemetry.messaging;

import io.smallrye.common.annotation.Blocking;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.service.DeviceHealthBook;
import io.updraft.telemetry.service.HealthAttribution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Health reports, per cohort and per device (the dashboards and the console's device pages): a polled batch in one
 * transaction ({@link BatchConsumption}), its cohort counters written once per cohort at its end
 * ({@link CohortStatsRepository#gathered}); unreadable records are parked and the batch goes on, a failed batch is
 * applied record by record, and while the database is down the batch is held, not parked.
 */
@ApplicationScoped
public class DeviceTelemetryConsumer {
    static final String CONSUMER = "telemetry-service.device-telemetry";

    @Inject
    Inbox inbox;
    @Inject
    HealthAttribution health;
    @Inject
    DeviceHealthBook latest;
    @Inject
    BatchConsumption batches;
    /** A batch's cohort counters are written once per cohort at its end. */
    @Inject
    CohortStatsRepository stats;
    @ConfigProperty(name = "mp.messaging.incoming.device-telemetry.dead-letter-queue.topic")
    String deadLetterTopic;

    /** A health record and the tenant whose device sent it (ADR 0021). */
    record TenantTelemetry(String tenant, DeviceTelemetry telemetry) {
    }

    @Incoming(Channels.DEVICE_TELEMETRY)
    @Blocking
    public void onTelemetry(ConsumerRecords<String, String> records) {
        batches.applyBatch(records, deadLetterTopic, DeviceTelemetryConsumer::read,
                all -> stats.gathered(() -> all.forEach(this::apply)), this::apply);
    }

    /** A "tenant" that is no tenant id throws, and the record is parked. */
    static TenantTelemetry read(String payload) {
        return new TenantTelemetry(EventJson.tenantOf(payload), EventJson.read(payload, DeviceTelemetry.class));
    }

    private void apply(TenantTelemetry read) {
        DeviceTelemetry telemetry = read.telemetry();
        if (!(telemetry instanceof HealthReported reported) || !inbox.firstDelivery(CONSUMER, telemetry)) {
            return;
        }
        health.reported(read.tenant(), reported);
        latest.reported(read.tenant(), reported);
    }
}
