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

    /** How often a health window closes per rollout (the scheduler reads the same key). */
    @WithDefault("10s")
    Duration window();
}
