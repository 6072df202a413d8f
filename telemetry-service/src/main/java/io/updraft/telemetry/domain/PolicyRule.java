package io.updraft.telemetry.domain;

import io.updraft.telemetry.domain.CohortPolicy.Limits;
import java.util.Locale;

/**
 * The rules a cohort is analysed by, in the spirit of an Argo Rollouts AnalysisTemplate: each measurement is
 * successful, failed, or inconclusive (too small a sample to say). Only {@link #CRASH_REGRESSION} needs health from
 * before the install; every other rule judges the new release on its own.
 */
public enum PolicyRule {
    /** Failed installs (any failure, boot failures included) per finished install, or their count. */
    FAILED_INSTALLS("failedInstalls"),
    /** Devices that failed to boot the new release, per finished install, or their count. */
    BOOT_FAILURES("bootFailures"),
    /** Devices on the new release that reported unhealthy or crash-looped, per device that installed it. */
    UNHEALTHY_DEVICES("unhealthyDevices"),
    /** Devices silent longer than the rollout's silence after installing, per device judged. */
    SILENT_DEVICES("silentDevices"),
    /** Crashes per health report on the new release against the same cohort's devices on their previous release. */
    CRASH_REGRESSION("crashRegression");

    private final String policyName;

    PolicyRule(String policyName) {
        this.policyName = policyName;
    }

    /** The rule's name in the API, the CLI and RollbackTriggered's evidence. */
    public String policyName() {
        return policyName;
    }

    public enum Verdict {
        SUCCESSFUL, FAILED, INCONCLUSIVE
    }

    /**
     * One measurement: {@code counted} of {@code judged} (devices, or for crashRegression reports), the observed value
     * and the limit it was held to, and when it failed why (null otherwise).
     */
    public record Measurement(PolicyRule rule, Verdict verdict, String reason, long counted, long judged,
            double observed, double limit) {
    }

    /**
     * @param windowed the cohort over this rule's evaluation window (the totals when the window is "all of it")
     * @param totals   the cohort since the rollout started: devices judged by the per-device rules
     * @param baseline the cohort's devices on the release they ran before this rollout's install
     */
    public Measurement measure(CohortPolicy policy, Figures windowed, Figures totals, Figures baseline) {
        return switch (this) {
            case FAILED_INSTALLS -> devices(policy.failedInstalls(), policy, windowed.failed(), windowed.installs(),
                    "installs failed");
            case BOOT_FAILURES -> devices(policy.bootFailures(), policy, windowed.bootFailedDevices(),
                    totals.installs(), "devices failed to boot the release");
            case UNHEALTHY_DEVICES -> devices(policy.unhealthyDevices(), policy, windowed.unhealthyDevices(),
                    totals.succeeded(), String.format(Locale.ROOT,
                            "devices on the release reported unhealthy or crash-looped (%d crashes within %s)",
                            policy.crashLoopCrashes(), policy.crashLoopWindow()));
            case SILENT_DEVICES -> devices(policy.silentDevices(), policy, windowed.heartbeatsMissed(),
                    totals.heartbeatsJudged(), "devices were silent longer than " + policy.silence()
                            + " after installing");
            case CRASH_REGRESSION -> regression(policy, windowed, baseline);
        };
    }

    private Measurement devices(Limits limits, CohortPolicy policy, long counted, long judged, String what) {
        if (limits.off()) {
            return inconclusive();
        }
        // a failing count needs no sample; a failing rate needs the rule's sample, or the whole of a smaller cohort
        if (limits.count() != null && counted >= limits.count()) {
            return failed(String.format(Locale.ROOT, "%s: %d of %d %s (count limit %d)", policyName, counted,
                    judged, what, limits.count()), counted, judged, counted, limits.count());
        }
        long sample = policy.sampleFor(limits.minSample());
        if (limits.rate() == null || judged < sample || judged == 0) {
            return inconclusive();
        }
        double rate = (double) counted / judged;
        if (rate >= limits.rate()) {
            return failed(String.format(Locale.ROOT, "%s: %d of %d %s (%.2f >= %.2f, sample %d)", policyName,
                    counted, judged, what, rate, limits.rate(), sample), counted, judged, rate, limits.rate());
        }
        return new Measurement(this, Verdict.SUCCESSFUL, null, counted, judged, rate, limits.rate());
    }

    private Measurement regression(CohortPolicy policy, Figures figures, Figures baseline) {
        CohortPolicy.Regression rule = policy.crashRegression();
        if (figures.healthReports() < rule.minSample() || baseline.healthReports() < rule.minSample()) {
            return inconclusive(); // no baseline: this rule says nothing, the others still judge
        }
        double limit = Math.max(baseline.crashRate(), rule.floor()) * rule.factor();
        if (figures.crashRate() >= limit) {
            return failed(String.format(Locale.ROOT,
                    "%s: crash rate %.2f per report >= %.2f (%.1f x baseline %.2f on the previous release) over %d"
                            + " reports", policyName, figures.crashRate(), limit, rule.factor(),
                    baseline.crashRate(), figures.healthReports()), figures.crashes(), figures.healthReports(),
                    figures.crashRate(), limit);
        }
        return new Measurement(this, Verdict.SUCCESSFUL, null, figures.crashes(), figures.healthReports(),
                figures.crashRate(), limit);
    }

    private Measurement failed(String reason, long counted, long judged, double observed, double limit) {
        return new Measurement(this, Verdict.FAILED, reason, counted, judged, observed, limit);
    }

    private Measurement inconclusive() {
        return new Measurement(this, Verdict.INCONCLUSIVE, null, 0, 0, 0, 0);
    }
}
