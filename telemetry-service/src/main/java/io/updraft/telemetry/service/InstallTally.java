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

/** Counts install results per rollout and cohort (the REST read model) and tracks which rollout a device runs. */
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
    public void finished(ActionFinished finished) {
        if (finished.outcome() == null) {
            throw new MalformedEventException("ActionFinished " + finished.eventId() + " without outcome");
        }
        Instant now = EventMeta.now();
        if (!RollbackRule.counts(finished)) {
            // back on the release it ran before (rollback) or outside any rollout: its health speaks for none
            assignments.release(finished.deviceId());
            if (finished.rollback() && finished.rolloutId() != null && !finished.rolloutId().isBlank()
                    && finished.outcome() == Outcome.SUCCESS) {
                progress.reached(finished.rolloutId(), finished.deviceId(), cohortOf(finished.cohort()),
                        DeviceProgressRepository.ROLLED_BACK, now);
            }
            return;
        }
        CohortKey key = new CohortKey(finished.rolloutId(), cohortOf(finished.cohort()));
        progress.reached(key.rolloutId, finished.deviceId(), key.cohort, finished.outcome() == Outcome.SUCCESS
                ? DeviceProgressRepository.SUCCEEDED : DeviceProgressRepository.FAILED, now);
        assignments.assign(finished.deviceId(), key, finished.actionId(), now);
        if (!countedActions.firstCount(finished.actionId(), finished.rolloutId(), now)) {
            return;
        }
        // the verdict is the health topology's (messaging.streams.CohortReferee); this is the read model for REST and windows
        rollouts.ensureKnown(key.rolloutId, now);
        Instant reportedAt = finished.occurredAt() == null ? now : finished.occurredAt();
        stats.countInstall(key.rolloutId, key.cohort, finished.outcome() == Outcome.SUCCESS, reportedAt, now);
    }

    @Transactional(TxType.MANDATORY)
    public void progressed(ActionProgressed progressed) {
        if (progressed.rolloutId() != null && !progressed.rolloutId().isBlank()) {
            CohortKey key = new CohortKey(progressed.rolloutId(), cohortOf(progressed.cohort()));
            assignments.assign(progressed.deviceId(), key, progressed.actionId(), EventMeta.now());
            progress.installing(key.rolloutId, progressed.deviceId(), key.cohort, EventMeta.now());
        }
    }

    @Transactional(TxType.MANDATORY)
    public void canceled(ActionCanceled canceled) {
        assignments.releaseAction(canceled.deviceId(), canceled.actionId());
        if (canceled.rolloutId() != null && !canceled.rolloutId().isBlank()) {
            progress.reached(canceled.rolloutId(), canceled.deviceId(), cohortOf(canceled.cohort()),
                    DeviceProgressRepository.CANCELED, EventMeta.now());
        }
    }

    /**
     * A denied or expired install: the device never took it, so, as a cancel, it stays on what it ran before and its
     * health no longer speaks for the rollout; the dashboard shows where it ended.
     */
    @Transactional(TxType.MANDATORY)
    public void denied(DeviceReport.ActionDenied denied) {
        notTaken(denied.deviceId(), denied.actionId(), denied.rolloutId(), denied.cohort(),
                DeviceProgressRepository.DENIED);
    }

    @Transactional(TxType.MANDATORY)
    public void expired(DeviceReport.ActionExpired expired) {
        notTaken(expired.deviceId(), expired.actionId(), expired.rolloutId(), expired.cohort(),
                DeviceProgressRepository.EXPIRED);
    }

    private void notTaken(String deviceId, long actionId, String rolloutId, String cohort, String state) {
        assignments.releaseAction(deviceId, actionId);
        if (rolloutId != null && !rolloutId.isBlank()) {
            progress.reached(rolloutId, deviceId, cohortOf(cohort), state, EventMeta.now());
        }
    }

    private static String cohortOf(String cohort) {
        return cohort == null || cohort.isBlank() ? HardwareCompatibility.cohortOf(null, null) : cohort;
    }
}
