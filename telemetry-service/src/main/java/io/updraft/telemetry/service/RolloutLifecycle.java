package io.updraft.telemetry.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
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

    /** Stores the policy shown by the REST API (the health topology judges by its own copy of it). */
    @Transactional(TxType.MANDATORY)
    public void created(RolloutCreated created) {
        RollbackRule rule = policies.ruleOf(created.policy());
        Instant now = EventMeta.now();
        rollouts.storePolicy(created.rolloutId(), rule, now);
        rollouts.describe(created, now);
        stats.ensureCohorts(created.rolloutId(), created.cohorts());
    }

    /** Completed or aborted: one last health window follows, then none (unless late reports still arrive). */
    @Transactional(TxType.MANDATORY)
    public void finished(String rolloutId) {
        rollouts.markFinished(rolloutId, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void waveStarted(String rolloutId, int wave) {
        rollouts.waveStarted(rolloutId, wave, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void changed(String rolloutId, String state, String reason) {
        rollouts.changeState(rolloutId, state, reason, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void rolledBack(String rolloutId, String cohort) {
        rollouts.ensureKnown(rolloutId, EventMeta.now());
        stats.markRolledBack(rolloutId, cohort, EventMeta.now());
    }
}
