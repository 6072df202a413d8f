package io.updraft.rollout.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.repository.DeviceInventory;
import io.updraft.rollout.service.ActionTracker;
import io.updraft.rollout.service.DynamicMembership;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The inventory and every action's progress, from what the gateway reports. */
@ApplicationScoped
public class DeviceReportConsumer {
    static final String CONSUMER = "rollout-service.device-reports";

    @Inject
    Inbox inbox;
    @Inject
    DeviceInventory inventory;
    @Inject
    ActionTracker tracker;
    @Inject
    DynamicMembership membership;

    @Inject
    BatchConsumption batches;
    @ConfigProperty(name = "mp.messaging.incoming.device-reports.dead-letter-queue.topic")
    String deadLetterTopic;

    /**
     * A polled batch per transaction: a fleet's heartbeats and a wave's results are not one commit each. An unreadable
     * record, or one whose application fails on its own, is parked on the DLQ (see {@link BatchConsumption}).
     */
    @Incoming(Channels.DEVICE_REPORTS)
    @Blocking
    public void onReports(ConsumerRecords<String, String> records) {
        batches.apply(records, deadLetterTopic, payload -> EventJson.read(payload, DeviceReport.class), this::apply);
    }

    private void apply(DeviceReport report) {
        if (!inbox.firstDelivery(CONSUMER, report)) {
            return;
        }
        if (report instanceof DeviceReport.DeviceRegistered registered) {
            inventory.describe(registered.deviceId(), registered.attributes(), registered.occurredAt());
            membership.deviceChanged(registered.deviceId());
        } else if (report instanceof DeviceReport.DeviceAttributesUpdated updated) {
            inventory.describe(updated.deviceId(), updated.attributes(), updated.occurredAt());
            membership.deviceChanged(updated.deviceId());
        } else if (report instanceof DeviceReport.DeviceSeen seen) {
            inventory.seen(seen.deviceId(), seen.occurredAt());
        } else if (report instanceof DeviceReport.InstalledVersionReported installed) {
            inventory.installed(installed.deviceId(), installed.releaseId(), installed.version(),
                    installed.occurredAt());
            membership.deviceChanged(installed.deviceId());
        } else if (report instanceof DeviceReport.ActionProgressed progressed) {
            inventory.seen(progressed.deviceId(), progressed.occurredAt());
            tracker.report(progressed.deviceId(), progressed.actionId(), ActionState.RUNNING);
        } else if (report instanceof DeviceReport.ActionFinished finished) {
            onFinished(finished);
        } else if (report instanceof DeviceReport.ActionCanceled canceled) {
            inventory.seen(canceled.deviceId(), canceled.occurredAt());
            tracker.report(canceled.deviceId(), canceled.actionId(), ActionState.CANCELED);
        } else if (report instanceof DeviceReport.ActionExpired expired) {
            // the action's expiresAt passed before the device took it; the device may be offline, so not "seen"
            tracker.report(expired.deviceId(), expired.actionId(), ActionState.EXPIRED);
        }
    }

    private void onFinished(DeviceReport.ActionFinished finished) {
        if (finished.outcome() == DeviceReport.Outcome.SUCCESS) {
            // what the device runs is a fact, whatever became of the action meanwhile
            inventory.installed(finished.deviceId(), finished.releaseId(), finished.version(), finished.occurredAt());
        } else {
            inventory.seen(finished.deviceId(), finished.occurredAt());
        }
        tracker.report(finished.deviceId(), finished.actionId(),
                finished.outcome() == DeviceReport.Outcome.SUCCESS ? ActionState.SUCCEEDED : ActionState.FAILED);
    }
}
