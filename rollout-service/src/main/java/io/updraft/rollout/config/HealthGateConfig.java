package io.updraft.rollout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Defaults of the health gate for what a rollout's {@code healthGate} leaves out. None is set by default: a rollout
 * without {@code healthGate} has no gate unless a bound (or {@code require-window}) is configured here.
 */
@ConfigMapping(prefix = "updraft.rollout.health-gate")
public interface HealthGateConfig {
    Optional<Double> maxFailureRate();

    Optional<Double> maxUnhealthyRatio();

    Optional<Double> maxCrashesPerReport();

    /** Smallest sample (installs, or health reports) of a cohort a ratio is judged on. */
    @WithDefault("10")
    int minReports();

    /** A soaked wave advances only after a health window that ended after its soak began. */
    @WithDefault("false")
    boolean requireWindow();
}
