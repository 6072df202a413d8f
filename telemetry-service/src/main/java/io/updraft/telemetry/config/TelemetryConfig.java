package io.updraft.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "updraft.telemetry")
public interface TelemetryConfig {
    /** Judges a rollout whose RolloutCreated (with its own policy) has not arrived yet. */
    @WithDefault("0.5")
    double defaultFailureRateThreshold();

    @WithDefault("3")
    int defaultMinSampleSize();

    /** How often a health window closes per rollout (the scheduler reads the same key); also the Streams bucket. */
    @WithDefault("10s")
    Duration window();

    /** The rules RolloutCreated cannot carry yet (it has only the failure-rate threshold and min sample size). */
    Policy policy();

    interface Policy {
        /** Failure rate over installs finished within this window; 0 = since the rollout started. */
        @WithDefault("0s")
        Duration failureRateWindow();

        /** A cohort's crashes per health report fail when at least this factor of its previous-release baseline. */
        @WithDefault("2.0")
        double crashRegressionFactor();

        /** The baseline never counts as lower than this, so one crash against a perfect baseline is no regression. */
        @WithDefault("0.1")
        double crashRateFloor();

        /** Health reports (on the new and on the previous release) needed before crash rates are compared. */
        @WithDefault("5")
        int crashMinSampleSize();

        @WithDefault("5m")
        Duration crashWindow();

        /** A device that installed successfully and sends no HealthReported/DeviceSeen within this is missing. */
        @WithDefault("5m")
        Duration heartbeatGrace();

        @WithDefault("0.3")
        double missedHeartbeatThreshold();

        @WithDefault("3")
        int missedHeartbeatMinSampleSize();

        /** 0 = since the rollout started. */
        @WithDefault("0s")
        Duration missedHeartbeatWindow();

        /** Argo's failureLimit: failed measurements tolerated before the rule fails (0: the first one fails it). */
        @WithDefault("0")
        int failureLimit();

        /** Failed measurements in a row that fail the rule whatever the failure limit; 0 = off. */
        @WithDefault("0")
        int consecutiveFailures();
    }
}
