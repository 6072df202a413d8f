package io.updraft.telemetry.config;

import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.telemetry.domain.CohortPolicy.Limits;
import io.updraft.telemetry.domain.CohortPolicy.Regression;
import io.updraft.telemetry.domain.CohortPolicy;

/** The rollback rules of {@code updraft.telemetry.policy.*} as the domain's {@link CohortPolicy}. */
public final class ConfiguredPolicy {
    private ConfiguredPolicy() {
    }

    /** The configured rules: what a rollout is judged by until its RolloutCreated arrives. */
    public static CohortPolicy defaults(TelemetryConfig config) {
        TelemetryConfig.Policy rest = config.policy();
        return new CohortPolicy(
                new Limits(config.defaultFailureRateThreshold(), rest.failedInstallsCount().orElse(null),
                        config.defaultMinSampleSize(), rest.failureRateWindow()),
                new Limits(rest.bootFailureRate(), rest.bootFailureCount().orElse(null),
                        rest.bootFailureMinSampleSize(), rest.bootFailureWindow()),
                new Limits(rest.unhealthyDeviceRate(), rest.unhealthyDeviceCount().orElse(null),
                        rest.unhealthyDeviceMinSampleSize(), rest.unhealthyDeviceWindow()),
                rest.crashLoopCrashes(), rest.crashLoopWindow(),
                new Limits(rest.missedHeartbeatThreshold(), null, rest.missedHeartbeatMinSampleSize(),
                        rest.missedHeartbeatWindow()),
                rest.heartbeatGrace(),
                new Regression(rest.crashRegressionFactor(), rest.crashRateFloor(), rest.crashMinSampleSize(),
                        rest.crashWindow()),
                rest.failureLimit(), rest.consecutiveFailures(), 0);
    }

    /** The rollout's own rules over the configured ones (a rule an older event lacks: the configured one). */
    public static CohortPolicy of(RollbackPolicy policy, TelemetryConfig config, int cohortDevices) {
        return defaults(config).over(policy).withCohortDevices(cohortDevices);
    }
}
