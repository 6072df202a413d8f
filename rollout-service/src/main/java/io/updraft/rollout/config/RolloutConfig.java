package io.updraft.rollout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Defaults for what a rollout request leaves out. */
@ConfigMapping(prefix = "updraft.rollout")
public interface RolloutConfig {
    /** Wait after a wave met its success threshold before the next wave starts. */
    @WithDefault("PT30S")
    Duration defaultSoakTime();

    /** Failure ratio of a wave above which the rollout pauses. */
    @WithDefault("0.5")
    double defaultErrorThreshold();

    /** Judged devices a soaked wave needs before its error threshold applies (a smaller wave: all of them). */
    @WithDefault("1")
    int defaultErrorMinSample();

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

    /**
     * The rollback policy a request leaves out, rule by rule; forwarded to telemetry in RolloutCreated, which decides
     * cohort rollbacks with it. A rule's rate and count: absent means no such limit (neither: the rule is off).
     */
    RollbackPolicyDefaults rollbackPolicy();

    interface RollbackPolicyDefaults {
        /** failedInstalls' rate. */
        @WithDefault("0.5")
        double failureRateThreshold();

        /** failedInstalls' minimum sample. */
        @WithDefault("3")
        int minSampleSize();

        Optional<Integer> failedInstallsCount();

        @WithDefault("0s")
        Duration failedInstallsWindow();

        Rule bootFailures();

        Rule unhealthyDevices();

        /** unhealthyDevices: a device crash-loops with at least this many crashes within crash-window. */
        @WithDefault("3")
        int crashes();

        @WithDefault("10m")
        Duration crashWindow();

        Rule silentDevices();

        /** silentDevices: silent this long after reporting installed. */
        @WithDefault("15m")
        Duration silence();

        Regression crashRegression();

        interface Rule {
            @WithDefault("0.3")
            Optional<Double> rate();

            Optional<Integer> count();

            @WithDefault("3")
            int minSample();

            @WithDefault("0s")
            Duration window();
        }

        interface Regression {
            @WithDefault("2.0")
            double factor();

            @WithDefault("0.1")
            double floor();

            @WithDefault("5")
            int minSample();

            @WithDefault("5m")
            Duration window();
        }
    }
}
