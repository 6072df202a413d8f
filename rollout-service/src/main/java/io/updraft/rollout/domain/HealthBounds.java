package io.updraft.rollout.domain;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The health gate of a rollout: bounds that telemetry's figures of each ACTIVE hardware cohort must keep while a wave
 * runs and soaks. Each bound is optional (null = not judged). A ratio is judged only on a sample of at least
 * {@code minReports}: installs for {@code maxFailureRate}, health reports for the two health ratios.
 *
 * @param maxFailureRate failed / (succeeded + failed) installs of a cohort since the wave started (0..1)
 * @param maxUnhealthyRatio unhealthy / all health reports of a cohort since the wave started (0..1)
 * @param maxCrashesPerReport crashes / health reports of a cohort since the wave started (≥ 0)
 * @param minReports smallest sample a ratio is judged on (≥ 1)
 * @param requireWindow a soaked wave advances only after a health window that ended after its soak began arrived
 */
public record HealthBounds(Double maxFailureRate, Double maxUnhealthyRatio, Double maxCrashesPerReport, int minReports,
        boolean requireWindow) {

    public HealthBounds {
        if (minReports < 1) {
            throw new IllegalArgumentException("minReports must be at least 1, got " + minReports);
        }
    }

    /** @return true if the gate judges anything at all (a bound, or the wait for a window) */
    public boolean active() {
        return maxFailureRate != null || maxUnhealthyRatio != null || maxCrashesPerReport != null || requireWindow;
    }

    /**
     * A cohort's telemetry totals: cumulative up to a window's end as telemetry publishes them, or the difference of
     * two such totals (what happened since a wave started).
     */
    public record CohortFigures(String cohort, long succeeded, long failed, long healthReports, long unhealthyReports,
            long crashes, boolean rolledBack) {

        public static final CohortFigures NONE = new CohortFigures("", 0, 0, 0, 0, 0, false);

        /** What happened between {@code baseline} and these figures (never negative: telemetry never counts down). */
        public CohortFigures since(CohortFigures baseline) {
            return new CohortFigures(cohort, Math.max(0, succeeded - baseline.succeeded),
                    Math.max(0, failed - baseline.failed), Math.max(0, healthReports - baseline.healthReports),
                    Math.max(0, unhealthyReports - baseline.unhealthyReports), Math.max(0, crashes - baseline.crashes),
                    rolledBack);
        }
    }

    /**
     * The first bound a cohort breaks since its baseline, as a reason naming the cohort, the bound and the figure.
     * Cohorts telemetry reports as rolled back, or that are not in {@code activeCohorts} (rolled back here, or not
     * part of the rollout), are not judged: their rollback already stops them.
     *
     * @param window the cohorts' cumulative figures at the end of the window
     * @param baselines the cohorts' cumulative figures when the wave started (missing: nothing before)
     */
    public Optional<String> breach(List<CohortFigures> window, Map<String, CohortFigures> baselines,
            Set<String> activeCohorts) {
        for (CohortFigures cumulative : window) {
            if (cumulative.rolledBack() || !activeCohorts.contains(cumulative.cohort())) {
                continue;
            }
            CohortFigures f = cumulative.since(baselines.getOrDefault(cumulative.cohort(), CohortFigures.NONE));
            long installs = f.succeeded() + f.failed();
            Optional<String> broken = exceeded(f.cohort(), "maxFailureRate", maxFailureRate, f.failed(), installs,
                    "failure rate", "installs")
                    .or(() -> exceeded(f.cohort(), "maxUnhealthyRatio", maxUnhealthyRatio, f.unhealthyReports(),
                            f.healthReports(), "unhealthy ratio", "health reports"))
                    .or(() -> exceeded(f.cohort(), "maxCrashesPerReport", maxCrashesPerReport, f.crashes(),
                            f.healthReports(), "crashes per report", "health reports"));
            if (broken.isPresent()) {
                return broken;
            }
        }
        return Optional.empty();
    }

    private Optional<String> exceeded(String cohort, String bound, Double limit, long count, long sample,
            String figure, String unit) {
        if (limit == null || sample < minReports) {
            return Optional.empty();
        }
        double value = (double) count / sample;
        if (value <= limit) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "health gate: cohort %s %s %.3f > %s %s over %d %s since the"
                + " wave started", cohort, figure, value, bound, format(limit), sample, unit));
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}
