package io.updraft.telemetry.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * What telemetry keeps of a rollout's life, in the tenant of its events: its policy and cohorts, whether it is over,
 * rolled-back cohorts.
 */
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
    public void created(String tenant, RolloutCreated created) {
        RollbackRule rule = policies.ruleOf(created.policy());
        Instant now = EventMeta.now();
        rollouts.storePolicy(tenant, created.rolloutId(), rule, now);
        rollouts.describe(tenant, created, now);
        stats.ensureCohorts(tenant, created.rolloutId(), created.cohorts());
    }

    /** Completed or aborted: one last health window follows, then none (unless late reports still arrive). */
    @Transactional(TxType.MANDATORY)
    public void finished(String tenant, String rolloutId) {
        rollouts.markFinished(tenant, rolloutId, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void waveStarted(String tenant, String rolloutId, int wave) {
        rollouts.waveStarted(tenant, rolloutId, wave, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void changed(String tenant, String rolloutId, String state, String reason) {
        rollouts.changeState(tenant, rolloutId, state, reason, EventMeta.now());
    }

    @Transactional(TxType.MANDATORY)
    public void rolledBack(String tenant, String rolloutId, String cohort) {
        rollouts.ensureKnown(tenant, rolloutId, EventMeta.now());
        stats.markRolledBack(new CohortKey(tenant, rolloutId, cohort), EventMeta.now());
    }
}
