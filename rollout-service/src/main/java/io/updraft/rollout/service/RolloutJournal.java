package io.updraft.rollout.service;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.updraft.events.DeviceReport;
import io.updraft.events.RolloutEvent;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.persistence.HistoryRepository;
import io.updraft.rollout.persistence.HistoryRepository.DeviceEntry;
import io.updraft.rollout.persistence.HistoryRepository.RolloutEntry;
import io.updraft.support.outbox.OutboxListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rollout history, written as the rollout's events enter the outbox (same transaction): every transition, with
 * its time, its actor (the subject of the operator's token; {@code system} for what the service decided itself) and
 * its reason; and the device history, from the reports about devices' actions.
 */
@ApplicationScoped
public class RolloutJournal implements OutboxListener {
    public static final String SYSTEM = "system";

    @Inject
    HistoryRepository history;
    @Inject
    Instance<CurrentIdentityAssociation> identities;

    @Override
    public void appended(Collection<? extends UpdraftEvent> events) {
        List<RolloutEntry> entries = null;
        String actor = null;
        for (UpdraftEvent event : events) {
            if (event instanceof RolloutEvent rolloutEvent) {
                if (entries == null) {
                    entries = new ArrayList<>();
                    actor = actor();
                }
                entries.add(entryOf(rolloutEvent, actor));
            }
        }
        if (entries != null) {
            history.appendRollout(entries);
        }
    }

    /** The reports about devices' actions (first deliveries), as their history. */
    public void reported(Collection<? extends DeviceReport> reports) {
        List<DeviceEntry> entries = new ArrayList<>();
        for (DeviceReport report : reports) {
            DeviceEntry entry = entryOf(report);
            if (entry != null) {
                entries.add(entry);
            }
        }
        history.appendDevice(entries);
    }

    static DeviceEntry entryOf(DeviceReport report) {
        if (report instanceof DeviceReport.ActionProgressed p) {
            return new DeviceEntry(p.deviceId(), p.occurredAt(), "ACTION_PROGRESSED", p.actionId(), p.rolloutId(),
                    p.execution() + (p.details().isEmpty() ? "" : ": " + String.join(" / ", p.details())));
        }
        if (report instanceof DeviceReport.ActionFinished f) {
            return new DeviceEntry(f.deviceId(), f.occurredAt(), f.outcome() == DeviceReport.Outcome.SUCCESS
                    ? "ACTION_SUCCEEDED" : f.bootFailure() ? "ACTION_BOOT_FAILED" : "ACTION_FAILED", f.actionId(),
                    f.rolloutId(), (f.rollback() ? "rollback to " : "") + "version " + f.version()
                            + (f.details().isEmpty() ? "" : ": " + String.join(" / ", f.details())));
        }
        if (report instanceof DeviceReport.ActionCanceled c) {
            // an operator's cancel at the gateway names them and their reason; a rollout's or the device's does not
            return new DeviceEntry(c.deviceId(), c.occurredAt(), "ACTION_CANCELED", c.actionId(), c.rolloutId(),
                    null, c.canceledBy(), c.reason());
        }
        if (report instanceof DeviceReport.ActionExpired x) {
            // the action's deadline (no reason) or, for an install that asked for consent, the confirmation's
            return new DeviceEntry(x.deviceId(), x.occurredAt(), "ACTION_EXPIRED", x.actionId(), x.rolloutId(),
                    x.confirmationDeadline() ? "not confirmed by the confirmation deadline" : null, null, x.reason());
        }
        if (report instanceof DeviceReport.ActionDenied d) {
            // the device (or its user) refused an install that required confirmation
            java.util.List<String> said = new java.util.ArrayList<>();
            if (d.code() != null) {
                said.add("code " + d.code());
            }
            said.addAll(d.details());
            return new DeviceEntry(d.deviceId(), d.occurredAt(), "ACTION_DENIED", d.actionId(), d.rolloutId(),
                    said.isEmpty() ? null : String.join(" / ", said));
        }
        if (report instanceof DeviceReport.InstalledVersionReported v) {
            return new DeviceEntry(v.deviceId(), v.occurredAt(), "VERSION_REPORTED", null, null,
                    "release " + v.releaseId() + " version " + v.version());
        }
        if (report instanceof DeviceReport.DeviceRegistered r) {
            return new DeviceEntry(r.deviceId(), r.occurredAt(), "REGISTERED", null, null, null);
        }
        return null; // sightings and attribute updates: the device view has the latest
    }

    static RolloutEntry entryOf(RolloutEvent event, String actor) {
        String id = event.rolloutId();
        if (event instanceof RolloutEvent.RolloutCreated e) {
            return new RolloutEntry(id, e.occurredAt(), "CREATED", actor, null, null,
                    null, null, "release " + e.releaseId() + " version " + e.version() + ": " + e.deviceCount()
                            + " devices in " + e.waveCount() + " waves, cohorts " + e.cohortDevices());
        }
        if (event instanceof RolloutEvent.RolloutScheduled e) {
            return new RolloutEntry(id, e.occurredAt(), "SCHEDULED", actor, null,
                    null, null, null, "starts at " + e.startAt());
        }
        if (event instanceof RolloutEvent.RolloutStarted e) {
            return new RolloutEntry(id, e.occurredAt(), "STARTED", SYSTEM, null, null,
                    null, null, null);
        }
        if (event instanceof RolloutEvent.RolloutGroupStarted e) {
            return new RolloutEntry(id, e.occurredAt(), "WAVE_STARTED", actor,
                    null, e.wave(), null, null, e.deviceCount() + " devices");
        }
        if (event instanceof RolloutEvent.RolloutAwaitingApproval e) {
            return new RolloutEntry(id, e.occurredAt(), "AWAITING_APPROVAL",
                    SYSTEM, null, e.wave(), null, null, e.deviceCount() + " devices wait");
        }
        if (event instanceof RolloutEvent.RolloutApproved e) {
            return new RolloutEntry(id, e.occurredAt(), "APPROVED",
                    e.approvedBy() == null ? actor : e.approvedBy(), null, e.wave(), null, null, null);
        }
        if (event instanceof RolloutEvent.RolloutPaused e) {
            return new RolloutEntry(id, e.occurredAt(), "PAUSED", actor, e.reason(),
                    null, null, null, null);
        }
        if (event instanceof RolloutEvent.RolloutResumed e) {
            return new RolloutEntry(id, e.occurredAt(), "RESUMED", actor, e.reason(),
                    null, null, null, null);
        }
        if (event instanceof RolloutEvent.RolloutAborted e) {
            return new RolloutEntry(id, e.occurredAt(), "ABORTED", actor, e.reason(),
                    null, null, null, null);
        }
        if (event instanceof RolloutEvent.RolloutCompleted e) {
            return new RolloutEntry(id, e.occurredAt(), "COMPLETED", SYSTEM, null,
                    null, null, null, e.succeeded() + " succeeded, " + e.failed() + " failed"
                            + (e.rolledBackCohorts().isEmpty() ? "" : ", rolled back " + e.rolledBackCohorts()));
        }
        if (event instanceof RolloutEvent.RolloutRolledBack e) {
            return new RolloutEntry(id, e.occurredAt(), "COHORT_ROLLED_BACK", actor,
                    e.reason(), null, e.cohort(), null, e.devicesSentBack() + " devices sent back");
        }
        if (event instanceof RolloutEvent.RolloutWaveTimedOut e) {
            return new RolloutEntry(id, e.occurredAt(), "WAVE_TIMED_OUT", SYSTEM,
                    null, e.wave(), null, null, e.pendingDevices() + " devices still pending");
        }
        if (event instanceof RolloutEvent.RolloutActionRetried e) {
            return new RolloutEntry(id, e.occurredAt(), "ACTION_RETRIED", SYSTEM,
                    null, e.wave(), null, e.deviceId(), "action " + e.failedActionId() + " failed, attempt "
                            + e.attempt() + " is action " + e.newActionId());
        }
        throw new IllegalArgumentException("no history entry for " + event.type());
    }

    /** The operator whose request this is (their token's subject), or {@code system}. */
    private String actor() {
        if (!Arc.container().requestContext().isActive() || !identities.isResolvable()) {
            return SYSTEM;
        }
        SecurityIdentity identity = identities.get().getIdentity();
        return identity == null || identity.isAnonymous() ? SYSTEM : identity.getPrincipal().getName();
    }
}
