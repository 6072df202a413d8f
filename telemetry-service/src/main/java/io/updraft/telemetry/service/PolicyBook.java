package io.updraft.telemetry.service;

import io.quarkus.runtime.StartupEvent;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.telemetry.config.TelemetryConfig;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.repository.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;

/** The rollback rule of each rollout: its own from RolloutCreated, the configured defaults until then. */
@ApplicationScoped
public class PolicyBook {
    @Inject
    TelemetryConfig config;
    @Inject
    RolloutRepository rollouts;

    /** Unusable defaults stop the service at start, not at the first report of an unknown rollout. */
    void validateDefaults(@Observes StartupEvent startup) {
        defaults();
    }

    public RollbackRule defaults() {
        return new RollbackRule(config.defaultFailureRateThreshold(), config.defaultMinSampleSize());
    }

    public RollbackRule ruleOf(RollbackPolicy policy) {
        return policy == null ? defaults() : new RollbackRule(policy.failureRateThreshold(), policy.minSampleSize());
    }

    public RollbackRule ruleOf(Rollout rollout) {
        return rollout.failureRateThreshold == null || rollout.minSampleSize == null ? defaults()
                : new RollbackRule(rollout.failureRateThreshold, rollout.minSampleSize);
    }

    /** The rule to judge a report by, holding the rollout row FOR SHARE until commit (see RolloutRepository). */
    @Transactional(TxType.MANDATORY)
    public RollbackRule lockedRuleFor(String rolloutId, Instant now) {
        rollouts.ensureKnown(rolloutId, now);
        return rollouts.lockedPolicy(rolloutId).orElseGet(this::defaults);
    }
}
