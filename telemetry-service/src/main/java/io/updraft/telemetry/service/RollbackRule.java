package io.updraft.telemetry.service;

import io.updraft.events.DeviceReport.ActionFinished;
import java.util.Locale;
import java.util.Optional;

/**
 * When a cohort has failed: its failure rate reached the threshold over at least {@code minSampleSize} installs.
 * Pure logic, so the verdict is tested without a broker or database.
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

    /** @return the reason to roll the cohort back, or empty while it is healthy or too small to judge */
    public Optional<String> breachedBy(CohortTally tally) {
        if (tally.installs() < minSampleSize || tally.failureRate() < failureRateThreshold) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "failure rate %.2f >= %.2f over %d installs",
                tally.failureRate(), failureRateThreshold, tally.installs()));
    }

    /** Only first installs of a rollout judge it: a rollback install reports on the old release, not the new one. */
    public static boolean counts(ActionFinished finished) {
        return finished.rolloutId() != null && !finished.rolloutId().isBlank() && !finished.rollback();
    }
}
