package io.updraft.rollout.service;

import io.updraft.events.DeviceReport;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.persistence.DeviceInventory.Described;
import io.updraft.rollout.persistence.DeviceInventory.Installed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A polled batch of device-reports (first deliveries, in offset order) sorted into what it writes, with the effect
 * applying the reports one at a time has: each device's last attribute set; each device's newest sighting
 * ({@code last_seen} only moves forward, so the maximum is what report-by-report upserts end with); each device's last
 * installed release in report order; the devices a dynamic rollout may now take; and the action reports in order.
 * No I/O here.
 */
public final class ReportBatch {
    /**
     * A report about an action: the state the device says it is in.
     *
     * @param cancelRejected the device refused a cancel and goes on (RUNNING): the one progress report that moves a
     *        CANCELING action
     */
    public record ActionReport(String deviceId, long actionId, ActionState next, boolean cancelRejected) {
        /** The execution the gateway's ActionProgressed carries when a device rejected a cancel. */
        public static final String CANCEL_REJECTED = "cancel-rejected";

        public ActionReport(String deviceId, long actionId, ActionState next) {
            this(deviceId, actionId, next, false);
        }

        public static ActionReport of(DeviceReport.ActionProgressed progressed) {
            return new ActionReport(progressed.deviceId(), progressed.actionId(), ActionState.RUNNING,
                    CANCEL_REJECTED.equals(progressed.execution()));
        }
    }

    private final Map<String, Described> described = new TreeMap<>();
    private final Map<String, Instant> lastSeen = new TreeMap<>();
    private final Map<String, Installed> installed = new TreeMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final List<ActionReport> actionReports = new ArrayList<>();

    private ReportBatch() {
    }

    public static ReportBatch of(List<? extends DeviceReport> reports) {
        ReportBatch batch = new ReportBatch();
        reports.forEach(batch::add);
        return batch;
    }

    private void add(DeviceReport report) {
        if (report instanceof DeviceReport.DeviceRegistered registered) {
            describe(registered.deviceId(), registered.attributes(), registered.occurredAt());
        } else if (report instanceof DeviceReport.DeviceAttributesUpdated updated) {
            describe(updated.deviceId(), updated.attributes(), updated.occurredAt());
        } else if (report instanceof DeviceReport.DeviceSeen seen) {
            seen(seen.deviceId(), seen.occurredAt());
        } else if (report instanceof DeviceReport.InstalledVersionReported reported) {
            install(reported.deviceId(), reported.releaseId(), reported.version(), reported.occurredAt());
            changed.add(reported.deviceId());
        } else if (report instanceof DeviceReport.ActionProgressed progressed) {
            seen(progressed.deviceId(), progressed.occurredAt());
            actionReports.add(ActionReport.of(progressed));
        } else if (report instanceof DeviceReport.ActionFinished finished) {
            if (finished.outcome() == DeviceReport.Outcome.SUCCESS) {
                // what the device runs is a fact, whatever became of the action meanwhile
                install(finished.deviceId(), finished.releaseId(), finished.version(), finished.occurredAt());
                action(finished.deviceId(), finished.actionId(), ActionState.SUCCEEDED);
            } else {
                seen(finished.deviceId(), finished.occurredAt());
                action(finished.deviceId(), finished.actionId(), ActionState.FAILED);
            }
        } else if (report instanceof DeviceReport.ActionCanceled canceled) {
            seen(canceled.deviceId(), canceled.occurredAt());
            action(canceled.deviceId(), canceled.actionId(), ActionState.CANCELED);
        } else if (report instanceof DeviceReport.ActionDenied denied) {
            seen(denied.deviceId(), denied.occurredAt());
            action(denied.deviceId(), denied.actionId(), ActionState.DENIED);
        } else if (report instanceof DeviceReport.ActionExpired expired) {
            // the action's expiresAt passed before the device took it; the device may be offline, so not "seen"
            action(expired.deviceId(), expired.actionId(), ActionState.EXPIRED);
        }
    }

    private void describe(String deviceId, Map<String, String> attributes, Instant seenAt) {
        described.put(deviceId, new Described(deviceId, attributes, seenAt)); // each replaces the whole set
        seen(deviceId, seenAt);
        changed.add(deviceId);
    }

    private void seen(String deviceId, Instant seenAt) {
        if (seenAt != null) {
            lastSeen.merge(deviceId, seenAt, (a, b) -> a.isAfter(b) ? a : b);
        } else {
            lastSeen.putIfAbsent(deviceId, null);
        }
    }

    private void install(String deviceId, String releaseId, String version, Instant seenAt) {
        installed.put(deviceId, new Installed(deviceId, releaseId, version, seenAt));
        seen(deviceId, seenAt);
    }

    private void action(String deviceId, long actionId, ActionState next) {
        actionReports.add(new ActionReport(deviceId, actionId, next));
    }

    /** Each device's last attribute set in the batch (in offset order), by device id. */
    public List<Described> described() {
        return List.copyOf(described.values());
    }

    /**
     * Every device a report other than ActionExpired names (each such report creates an unknown device), with its
     * newest sighting in the batch, by device id.
     */
    public Map<String, Instant> lastSeen() {
        return lastSeen;
    }

    /**
     * Each device's last installed release in the batch (InstalledVersionReported or a successful ActionFinished), by
     * device id.
     */
    public List<Installed> installed() {
        return List.copyOf(installed.values());
    }

    /** Devices whose attributes or installed version were reported (DeviceRegistered, DeviceAttributesUpdated,
     * InstalledVersionReported): a dynamic rollout may now take them. */
    public List<String> changedDevices() {
        return List.copyOf(changed);
    }

    /** Action reports in offset order. */
    public List<ActionReport> actionReports() {
        return actionReports;
    }
}
