package io.updraft.telemetry.api;

import java.util.List;

/** {@code GET /api/v1/rollouts/{rolloutId}/health}: totals per hardware cohort so far. */
public record RolloutHealthView(String rolloutId, PolicyView policy, List<CohortHealthView> cohorts) {

    public record PolicyView(double failureRateThreshold, int minSampleSize) {
    }

    /** {@code rollbackReason} is null until this service decided to roll the cohort back. */
    public record CohortHealthView(String cohort, long succeeded, long failed, double failureRate,
            long healthReports, long unhealthyReports, long crashes, boolean rolledBack, String rollbackReason) {
    }
}
