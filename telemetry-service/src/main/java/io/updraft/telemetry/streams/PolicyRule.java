package io.updraft.telemetry.streams;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The metrics a cohort is analysed by, in the spirit of an Argo Rollouts AnalysisTemplate: each measurement is
 * successful (the success condition holds), failed, or inconclusive (too small a sample to say).
 */
public enum PolicyRule {
    /** failed / finished installs. */
    FAILURE_RATE,
    /** Crashes per health report on the new release against the same cohort's devices on their previous release. */
    CRASH_REGRESSION,
    /** Devices that installed successfully and did not come back (no health report or heartbeat) within the grace. */
    MISSED_HEARTBEAT;

    public enum Verdict {
        SUCCESSFUL, FAILED, INCONCLUSIVE
    }

    /** One measurement and, when it failed, why (with the window's figures; null otherwise). */
    public record Measurement(PolicyRule rule, Verdict verdict, String reason) {
    }

    /**
     * @param figures  the cohort over this rule's evaluation window
     * @param baseline the cohort's devices on the release they ran before this rollout's install
     */
    public Measurement measure(CohortPolicy policy, Figures figures, Figures baseline) {
        return switch (this) {
            case FAILURE_RATE -> {
                if (figures.installs() < policy.minSampleSize()) {
                    yield inconclusive();
                }
                boolean failed = figures.failureRate() >= policy.failureRateThreshold();
                yield measured(failed, () -> String.format(Locale.ROOT, "failure rate %.2f >= %.2f over %d installs",
                        figures.failureRate(), policy.failureRateThreshold(), figures.installs()));
            }
            case CRASH_REGRESSION -> {
                if (figures.healthReports() < policy.crashMinSampleSize()
                        || baseline.healthReports() < policy.crashMinSampleSize()) {
                    yield inconclusive();
                }
                double limit = Math.max(baseline.crashRate(), policy.crashRateFloor()) * policy.crashRegressionFactor();
                boolean failed = figures.crashRate() >= limit;
                yield measured(failed, () -> String.format(Locale.ROOT,
                        "crash rate %.2f per report >= %.2f (%.1f x baseline %.2f on the previous release) over %d"
                                + " reports",
                        figures.crashRate(), limit, policy.crashRegressionFactor(), baseline.crashRate(),
                        figures.healthReports()));
            }
            case MISSED_HEARTBEAT -> {
                if (figures.heartbeatsJudged() < policy.missedHeartbeatMinSampleSize()) {
                    yield inconclusive();
                }
                boolean failed = figures.missedHeartbeatRatio() >= policy.missedHeartbeatThreshold();
                yield measured(failed, () -> String.format(Locale.ROOT,
                        "missed heartbeat ratio %.2f >= %.2f over %d installed devices",
                        figures.missedHeartbeatRatio(), policy.missedHeartbeatThreshold(),
                        figures.heartbeatsJudged()));
            }
        };
    }

    /** Whether a signal of this kind can change this rule's measurement (only then is it measured again). */
    public boolean measuredOn(CohortSignal.Kind kind) {
        return switch (this) {
            case FAILURE_RATE -> kind == CohortSignal.Kind.INSTALL_FAILED || kind == CohortSignal.Kind.INSTALL_SUCCEEDED
                    || kind == CohortSignal.Kind.POLICY;
            case CRASH_REGRESSION -> kind == CohortSignal.Kind.HEALTH || kind == CohortSignal.Kind.BASELINE
                    || kind == CohortSignal.Kind.POLICY;
            case MISSED_HEARTBEAT -> kind == CohortSignal.Kind.HEARTBEAT_MISSED
                    || kind == CohortSignal.Kind.HEARTBEAT_RETURNED || kind == CohortSignal.Kind.POLICY;
        };
    }

    /** The reason is written only for a failed measurement: most measurements succeed, on every report. */
    private Measurement measured(boolean failed, Supplier<String> reason) {
        return new Measurement(this, failed ? Verdict.FAILED : Verdict.SUCCESSFUL, failed ? reason.get() : null);
    }

    private Measurement inconclusive() {
        return new Measurement(this, Verdict.INCONCLUSIVE, null);
    }
}
