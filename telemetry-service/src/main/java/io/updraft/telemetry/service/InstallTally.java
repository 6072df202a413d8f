package io.updraft.telemetry.service;

import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceReport.ActionCanceled;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.ActionProgressed;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.MalformedEventException;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.persistence.CountedActionRepository;
import io.updraft.telemetry.persistence.DeviceAssignmentRepository;
import io.updraft.telemetry.persistence.DeviceProgressRepository;
import io.updraft.telemetry.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Counts install results per rollout and cohort (the REST read model) and tracks which rollout a device runs, each in
 * the tenant of the report (ADR 0021: two tenants' devices with the same id are two devices).
 */
@ApplicationScoped
public class InstallTally {
    @Inject
    RolloutRepository rollouts;
    @Inject
    CohortStatsRepository stats;
    @Inject
    CountedActionRepository countedActions;
    @Inject
    DeviceAssignmentRepository assignments;
    @Inject
    DeviceProgressRepository progress;

    @Transactional(TxType.MANDATORY)
    public void finished(String tenant, ActionFinished finished) {
        if (finished.outcome() == null) {
            throw new MalformedEventException("ActionFinished " + finished.eventId() + " without outcome");
        }
        Instant now = EventMeta.now();
        if (!RollbackRule.counts(finished)) {
            // back on the release it ran before (rollback) or outside any rollout: its health speaks for none
            assignments.release(tenant, finished.deviceId());
            if (finished.rollback() && finished.rolloutId() != null && !finished.rolloutId().isBlank()
                    && finished.outcome() == Outcome.SUCCESS) {
                progress.reached(new CohortKey(tenant, finished.rolloutId(), cohortOf(finished.cohort())),
                        finished.deviceId(), DeviceProgressRepository.ROLLED_BACK, now);
            }
            return;
        }
        CohortKey key = new CohortKey(tenant, finished.rolloutId(), cohortOf(finished.cohort()));
        progress.reached(key, finished.deviceId(), finished.outcome() == Outcome.SUCCESS
                ? DeviceProgressRepository.SUCCEEDED : DeviceProgressRepository.FAILED, now);
        assignments.assign(finished.deviceId(), key, finished.actionId(), now);
        if (!countedActions.firstCount(tenant, finished.actionId(), finished.rolloutId(), now)) {
            return;
        }
        // the verdict is the health topology's (messaging.streams.CohortReferee); this is the read model for REST and windows
        rollouts.ensureKnown(tenant, key.rolloutId, now);
        Instant reportedAt = finished.occurredAt() == null ? now : finished.occurredAt();
        stats.countInstall(key, finished.outcome() == Outcome.SUCCESS, reportedAt, now);
    }

    @Transactional(TxType.MANDATORY)
    public void progressed(String tenant, ActionProgressed progressed) {
        if (progressed.rolloutId() != null && !progressed.rolloutId().isBlank()) {
            CohortKey key = new CohortKey(tenant, progressed.rolloutId(), cohortOf(progressed.cohort()));
            assignments.assign(progressed.deviceId(), key, progressed.actionId(), EventMeta.now());
            progress.installing(key, progressed.deviceId(), EventMeta.now());
        }
    }

    @Transactional(TxType.MANDATORY)
    public void canceled(String tenant, ActionCanceled canceled) {
        assignments.releaseAction(tenant, canceled.deviceId(), canceled.actionId());
        if (canceled.rolloutId() != null && !canceled.rolloutId().isBlank()) {
            progress.reached(new CohortKey(tenant, canceled.rolloutId(), cohortOf(canceled.cohort())),
                    canceled.deviceId(), DeviceProgressRepository.CANCELED, EventMeta.now());
        }
    }

    /**
     * A denied or expired install: the device never took it, so, as a cancel, it stays on what it ran before and its
     * health no longer speaks for the rollout; the dashboard shows where it ended.
     */
    @Transactional(TxType.MANDATORY)
    public void denied(String tenant, DeviceReport.ActionDenied denied) {
        notTaken(tenant, denied.deviceId(), denied.actionId(), denied.rolloutId(), denied.cohort(),
                DeviceProgressRepository.DENIED);
    }

    @Transactional(TxType.MANDATORY)
    public void expired(String tenant, DeviceReport.ActionExpired expired) {
        notTaken(tenant, expired.deviceId(), expired.actionId(), expired.rolloutId(), expired.cohort(),
                DeviceProgressRepository.EXPIRED);
    }

    private void notTaken(String tenant, String deviceId, long actionId, String rolloutId, String cohort,
            String state) {
        assignments.releaseAction(tenant, deviceId, actionId);
        if (rolloutId != null && !rolloutId.isBlank()) {
            progress.reached(new CohortKey(tenant, rolloutId, cohortOf(cohort)), deviceId, state, EventMeta.now());
        }
    }

    private static String cohortOf(String cohort) {
        return cohort == null || cohort.isBlank() ? HardwareCompatibility.cohortOf(null, null) : cohort;
    }
}
