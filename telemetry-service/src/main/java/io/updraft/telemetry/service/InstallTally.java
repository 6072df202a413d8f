package io.updraft.telemetry.service;

import io.updraft.events.DeviceReport.ActionCanceled;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.ActionProgressed;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.MalformedEventException;
import io.updraft.telemetry.domain.CohortCount;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.repository.CohortStatsRepository;
import io.updraft.telemetry.repository.CountedActionRepository;
import io.updraft.telemetry.repository.DeviceAssignmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;

/** Counts install results per rollout and cohort, judges the cohort, and tracks which rollout a device runs. */
@ApplicationScoped
public class InstallTally {
    @Inject
    PolicyBook policies;
    @Inject
    CohortStatsRepository stats;
    @Inject
    CountedActionRepository countedActions;
    @Inject
    DeviceAssignmentRepository assignments;
    @Inject
    CohortJudge judge;

    @Transactional(TxType.MANDATORY)
    public void finished(ActionFinished finished) {
        if (finished.outcome() == null) {
            throw new MalformedEventException("ActionFinished " + finished.eventId() + " without outcome");
        }
        if (!RollbackRule.counts(finished)) {
            // back on the release it ran before (rollback) or outside any rollout: its health speaks for none
            assignments.release(finished.deviceId());
            return;
        }
        Instant now = EventMeta.now();
        CohortKey key = new CohortKey(finished.rolloutId(), cohortOf(finished.cohort()));
        assignments.assign(finished.deviceId(), key, finished.actionId(), now);
        if (!countedActions.firstCount(finished.actionId(), finished.rolloutId(), now)) {
            return;
        }
        // lock order everywhere: rollout row, then cohort row (no deadlock with RolloutCreated)
        RollbackRule rule = policies.lockedRuleFor(key.rolloutId, now);
        Instant reportedAt = finished.occurredAt() == null ? now : finished.occurredAt();
        CohortCount count = stats.countInstall(key.rolloutId, key.cohort, finished.outcome() == Outcome.SUCCESS,
                reportedAt, now);
        judge.judge(key.rolloutId, count, rule);
    }

    @Transactional(TxType.MANDATORY)
    public void progressed(ActionProgressed progressed) {
        if (progressed.rolloutId() != null && !progressed.rolloutId().isBlank()) {
            assignments.assign(progressed.deviceId(),
                    new CohortKey(progressed.rolloutId(), cohortOf(progressed.cohort())), progressed.actionId(),
                    EventMeta.now());
        }
    }

    @Transactional(TxType.MANDATORY)
    public void canceled(ActionCanceled canceled) {
        assignments.releaseAction(canceled.deviceId(), canceled.actionId());
    }

    private static String cohortOf(String cohort) {
        return cohort == null || cohort.isBlank() ? HardwareCompatibility.cohortOf(null, null) : cohort;
    }
}
