package io.updraft.telemetry.domain;

import io.updraft.telemetry.domain.PolicyRule.Measurement;

/**
 * The analysis run of one rule for one cohort, as Argo Rollouts counts it: failed measurements in total and in a row.
 * A successful measurement breaks the row; an inconclusive one changes nothing.
 */
public record RuleRun(int failed, int consecutiveFailed) {
    public static final RuleRun NEW = new RuleRun(0, 0);

    public RuleRun after(Measurement measurement) {
        return switch (measurement.verdict()) {
            case FAILED -> new RuleRun(failed + 1, consecutiveFailed + 1);
            case SUCCESSFUL -> new RuleRun(failed, 0);
            case INCONCLUSIVE -> this;
        };
    }

    /** More failed measurements than the failure limit, or (if set) enough of them in a row. */
    public boolean failedUnder(CohortPolicy policy) {
        return failed > policy.failureLimit()
                || policy.consecutiveFailures() > 0 && consecutiveFailed >= policy.consecutiveFailures();
    }
}
