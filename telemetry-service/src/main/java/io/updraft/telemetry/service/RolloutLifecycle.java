package io.updraft.telemetry.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.telemetry.domain.CohortCount;
import io.updraft.telemetry.repository.CohortStatsRepository;
import io.updraft.telemetry.repository.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;

/** What telemetry keeps of a rollout's life: its policy and cohorts, whether it is over, rolled-back cohorts. */
@ApplicationScoped
public class RolloutLifecycle {
    @Inject
    PolicyBook policies;
    @Inject
    RolloutRepository rollouts;
    @Inject
    CohortStatsRepository stats;
    @Inject
    CohortJudge judge;

    /** Stores the policy, then re-judges every cohort: reports may have been judged by the defaults before. */
    @Transactional(TxType.MANDATORY)
    public void created(RolloutCreated created) {
        RollbackRule rule = policies.ruleOf(created.policy());
        Instant now = EventMeta.now();
        rollouts.storePolicy(created.rolloutId(), rule, now);
        stats.ensureCohorts(created.rolloutId(), created.cohorts());
        for (CohortCount count : stats.countsOf(created.rolloutId())) {
            judge.judge(created.rolloutId(), count, rule);
        }
    }

    /** Completed or aborted: one last health window follows, then none (unless late reports still arrive). */
    @Transactional(TxType.MANDATORY)
    public void finished(String rolloutId) {
        rollouts.markFinished(rolloutId, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void rolledBack(String rolloutId, String cohort) {
        rollouts.ensureKnown(rolloutId, EventMeta.now());
        stats.markRolledBack(rolloutId, cohort, EventMeta.now());
    }
}
