package io.updraft.telemetry.messaging;

import io.smallrye.common.annotation.Blocking;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.DeviceTelemetry;
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

    @Incoming(Channels.DEVICE_TELEMETRY)
    @Blocking
    public void onTelemetry(ConsumerRecords<String, String> records) {
        batches.applyBatch(records, deadLetterTopic, payload -> TenantEvent.read(payload, DeviceTelemetry.class),
                all -> stats.gathered(() -> all.forEach(this::apply)), this::apply);
    }

    private void apply(TenantEvent<DeviceTelemetry> read) {
        DeviceTelemetry telemetry = read.event();
        if (!(telemetry instanceof HealthReported reported) || !inbox.firstDelivery(CONSUMER, telemetry)) {
            return;
        }
        health.reported(read.tenant(), reported);
        latest.reported(read.tenant(), reported);
    }
}
