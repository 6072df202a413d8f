package io.updraft.telemetry.domain;

import io.updraft.events.DeviceReport.ActionFinished;

/**
 * The failure-rate part of a rollout's policy as RolloutCreated carries it and the REST API shows it, validated once
 * here (the health topology judges by it: PolicyRule).
 */
public record RollbackRule(double failureRateThreshold, int minSampleSize) {
    /** A RolloutCreated carrying an unusable policy fails here and is parked on the dead-letter topic. */
    public RollbackRule {
        // A zero threshold would roll back a cohort with no failures at all (0/n >= 0).
        if (!(failureRateThreshold > 0.0 && failureRateThreshold <= 1.0)) {
            throw new IllegalArgumentException("failure rate threshold must be in (0, 1], was " + failureRateThreshold);
        }
        if (minSampleSize < 1) {
            throw new IllegalArgumentException("min sample size must be at least 1, was " + minSampleSize);
        }
    }

    /** Only first installs of a rollout judge it: a rollback install reports on the old release, not the new one. */
    public static boolean counts(ActionFinished finished) {
        return finished.rolloutId() != null && !finished.rolloutId().isBlank() && !finished.rollback();
    }
}
