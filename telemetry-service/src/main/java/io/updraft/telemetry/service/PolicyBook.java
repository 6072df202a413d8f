package io.updraft.telemetry.service;

import io.quarkus.runtime.StartupEvent;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.telemetry.config.ConfiguredPolicy;
import io.updraft.telemetry.config.TelemetryConfig;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.domain.Rollout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Each rollout's failure-rate rule as the REST API shows it: from RolloutCreated, the defaults until then. */
@ApplicationScoped
public class PolicyBook {
    @Inject
    TelemetryConfig config;

    /** Unusable defaults stop the service at start, not at the first report of an unknown rollout. */
    void validateDefaults(@Observes StartupEvent startup) {
        defaults();
        ConfiguredPolicy.defaults(config);
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

}
