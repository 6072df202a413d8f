package io.updraft.rollout.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.persistence.DeviceInventory;
import io.updraft.rollout.persistence.MembershipRepository;
import io.updraft.rollout.service.ActionTracker;
import io.updraft.rollout.service.DynamicMembership;
import io.updraft.rollout.service.ReportBatch;
import io.updraft.rollout.service.RolloutJournal;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import io.updraft.support.tenant.Tenants;
import io.updraft.support.validation.Inputs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The inventory and every action's progress, from what the gateway reports: a polled batch per transaction, applied
 * with a handful of set-based statements ({@link #applyAll}) — a fleet's heartbeats and a wave's results are neither
 * a commit nor several round trips per report. A record that cannot be read is parked on the DLQ and the batch goes
 * on; if the batch's transaction fails, its records are applied again one at a time, each in its own transaction
 * ({@link #applyOne}, {@link BatchConsumption}), and only the one that fails is parked. Each report is applied in
 * its record's tenant ({@link RecordTenants}, ADR 0021) to that tenant's device, actions and rollouts only: a batch is
 * applied a tenant at a time, in tenant order, each inside {@link Tenants#runAs}.
 */
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
    MembershipRepository memberships;
    @Inject
    RolloutJournal journal;

    @Inject
    BatchConsumption batches;
    @Inject
    RecordTenants recordTenants;
    @ConfigProperty(name = "mp.messaging.incoming.device-reports.dead-letter-queue.topic")
    String deadLetterTopic;

    private static final int MAX_ATTRIBUTE = 1024;

    /** A report and the tenant whose device it is about. */
    public record TenantReport(String tenant, DeviceReport report) {
    }

    @Incoming(Channels.DEVICE_REPORTS)
    @Blocking
    public void onReports(ConsumerRecords<String, String> records) {
        batches.applyBatch(records, deadLetterTopic, this::read, this::applyAll, this::applyOne);
    }

    /** A polled batch, a tenant at a time (tenant order, so concurrent batches lock in one order), in offset order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyAll(List<TenantReport> reports) {
        Map<String, List<DeviceReport>> byTenant = new TreeMap<>();
        reports.forEach(r -> byTenant.computeIfAbsent(r.tenant(), t -> new ArrayList<>()).add(r.report()));
        byTenant.forEach((tenant, ofTenant) -> Tenants.runAs(tenant, () -> applyAllOf(tenant, ofTenant)));
    }

    /** One report in the caller's transaction, in its tenant. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyOne(TenantReport report) {
        Tenants.runAs(report.tenant(), () -> applyOneOf(report.tenant(), report.report()));
    }

    /**
     * A polled batch's reports, in offset order, in the caller's transaction: the set-based path. One inbox statement
     * for the batch; each device's last attribute set by one upsert (a fleet registering at once), every device's
     * newest sighting by another and the installed releases by a third; the devices whose attributes or installed
     * version were reported offered to the dynamic rollouts, only if one is unfinished; then the action reports
     * ({@link ActionTracker#reportAll}).
     */
    private void applyAllOf(String tenant, List<DeviceReport> reports) {
        List<DeviceReport> first = inbox.firstDeliveries(RecordTenants.inboxConsumer(tenant, CONSUMER), reports);
        journal.reported(first);
        ReportBatch batch = ReportBatch.of(first);
        inventory.describeAll(batch.described());
        inventory.seenAll(batch.lastSeen());
        inventory.installedAll(batch.installed());
        if (!batch.changedDevices().isEmpty() && !memberships.unfinishedDynamic().isEmpty()) {
            // on each device's state after the batch: one decision per device, not one per report
            batch.changedDevices().forEach(membership::deviceChanged);
        }
        tracker.reportAll(batch.actionReports());
    }

    /** One report in the caller's transaction, as every report was applied before the set-based path. */
    private void applyOneOf(String tenant, DeviceReport report) {
        if (!inbox.firstDelivery(RecordTenants.inboxConsumer(tenant, CONSUMER), report)) {
            return;
        }
        journal.reported(List.of(report));
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
            tracker.report(ReportBatch.ActionReport.of(progressed));
        } else if (report instanceof DeviceReport.ActionFinished finished) {
            onFinished(finished);
        } else if (report instanceof DeviceReport.ActionCanceled canceled) {
            inventory.seen(canceled.deviceId(), canceled.occurredAt());
            tracker.report(canceled.deviceId(), canceled.actionId(), ActionState.CANCELED);
        } else if (report instanceof DeviceReport.ActionDenied denied) {
            inventory.seen(denied.deviceId(), denied.occurredAt());
            tracker.report(denied.deviceId(), denied.actionId(), ActionState.DENIED);
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

    /**
     * Reads one report; attributes PostgreSQL's jsonb cannot hold (NUL) or that no device edge lets in (control
     * characters, over-long) make it unreadable, so it is parked alone instead of failing its batch's transaction.
     */
    private TenantReport read(String payload) {
        String tenant = recordTenants.of(payload);
        DeviceReport report = EventJson.read(payload, DeviceReport.class);
        Map<String, String> attributes = report instanceof DeviceReport.DeviceRegistered registered
                ? registered.attributes()
                : report instanceof DeviceReport.DeviceAttributesUpdated updated ? updated.attributes() : Map.of();
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (!Inputs.isLine(attribute.getKey(), MAX_ATTRIBUTE) || !Inputs.isLine(attribute.getValue(), MAX_ATTRIBUTE)) {
                throw new MalformedEventException(report.type() + " " + report.eventId() + " of device "
                        + report.deviceId() + " carries an attribute with control characters or over "
                        + MAX_ATTRIBUTE + " characters");
            }
        }
        return new TenantReport(tenant, report);
    }
}
