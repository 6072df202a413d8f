package io.updraft.rollout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Defaults for what a rollout request leaves out. */
@ConfigMapping(prefix = "updraft.rollout")
public interface RolloutConfig {
    /** Wait after a wave met its success threshold before the next wave starts. */
    @WithDefault("PT30S")
    Duration defaultSoakTime();

    /** Failure ratio of a wave above which the rollout pauses. */
    @WithDefault("0.5")
    double defaultErrorThreshold();

    /** Fraction of a wave's devices that must have finished before it soaks. */
    @WithDefault("1.0")
    double defaultSuccessThreshold();

    /**
     * Devices of every canary stratum (hardware cohort, × the request's cohortBy attributes) that wave 1 takes at
     * least, or the whole stratum if smaller, when the request does not say (canaryPerCohort; 0 = percentages only).
     */
    @WithDefault("3")
    int defaultCanaryPerCohort();

    /**
     * How long a wave runs at most before it is judged on what finished, when the request has no waveTimeout: devices
     * still pending then (offline) keep their actions and count neither as failed nor against the success threshold.
     */
    @WithDefault("PT6H")
    Duration defaultWaveTimeout();

    /** How often the WaveGate looks for waves that finished soaking or timed out, and scheduled rollouts now due. */
    @WithDefault("1s")
    String waveGateInterval();

    /** Forwarded to telemetry in RolloutCreated; telemetry decides cohort rollbacks with it. */
    RollbackPolicyDefaults rollbackPolicy();

    interface RollbackPolicyDefaults {
        @WithDefault("0.5")
        double failureRateThreshold();

        @WithDefault("3")
        int minSampleSize();
    }
}
