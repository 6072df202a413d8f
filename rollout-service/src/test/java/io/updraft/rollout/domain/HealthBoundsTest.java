package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.rollout.domain.HealthBounds.CohortFigures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthBoundsTest {
    private static final Set<String> ACTIVE = Set.of("gw:1", "gw:2");

    private static CohortFigures figures(String cohort, long succeeded, long failed, long reports, long unhealthy,
            long crashes) {
        return new CohortFigures(cohort, succeeded, failed, reports, unhealthy, crashes, false);
    }

    private static Optional<String> judge(HealthBounds bounds, CohortFigures... window) {
        return bounds.breach(List.of(window), Map.of(), ACTIVE);
    }

    @Test
    void given_a_failure_rate_above_its_bound_over_the_minimum_sample_then_the_reason_names_cohort_bound_and_figure() {
        HealthBounds bounds = new HealthBounds(0.2, null, null, 4, false);

        assertThat(judge(bounds, figures("gw:1", 4, 1, 0, 0, 0))).isEmpty(); // 0.2 is within
        assertThat(judge(bounds, figures("gw:1", 0, 3, 0, 0, 0))).isEmpty(); // 3 installs < 4
        Optional<String> breach = judge(bounds, figures("gw:2", 8, 0, 0, 0, 0), figures("gw:1", 2, 2, 0, 0, 0));

        assertThat(breach).hasValue("health gate: cohort gw:1 failure rate 0.500 > maxFailureRate 0.2 over 4"
                + " installs since the wave started");
    }

    @Test
    void given_figures_at_the_bound_or_below_the_minimum_sample_then_no_breach() {
        HealthBounds bounds = new HealthBounds(0.5, 0.1, 0.2, 4, false);

        assertThat(judge(bounds, figures("gw:1", 2, 2, 10, 1, 2))).isEmpty(); // exactly at every bound
        assertThat(judge(bounds, figures("gw:1", 0, 3, 3, 3, 3))).isEmpty(); // every ratio 1.0, samples of 3 < 4
    }

    @Test
    void given_health_reports_then_the_unhealthy_ratio_and_crashes_per_report_are_judged_on_them() {
        HealthBounds unhealthy = new HealthBounds(null, 0.1, null, 10, false);
        HealthBounds crashes = new HealthBounds(null, null, 0.5, 10, false);

        assertThat(judge(unhealthy, figures("gw:2", 0, 0, 20, 3, 0))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("cohort gw:2", "unhealthy ratio 0.150", "maxUnhealthyRatio 0.1", "over 20 health reports"));
        assertThat(judge(crashes, figures("gw:2", 0, 0, 10, 0, 12))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("crashes per report 1.200", "maxCrashesPerReport 0.5", "over 10 health reports"));
        assertThat(judge(crashes, figures("gw:2", 0, 9, 9, 9, 90))).isEmpty(); // 9 reports < 10
    }

    @Test
    void given_a_baseline_then_only_what_happened_since_the_wave_started_is_judged() {
        HealthBounds bounds = new HealthBounds(0.2, null, null, 5, false);
        CohortFigures cumulative = figures("gw:1", 20, 10, 0, 0, 0);

        // 10 of 30 failed overall, but all of them before the wave: since then 10 succeeded, none failed
        assertThat(bounds.breach(List.of(cumulative), Map.of("gw:1", figures("gw:1", 10, 10, 0, 0, 0)), ACTIVE))
                .isEmpty();
        // since the baseline: 5 succeeded, 5 failed
        assertThat(bounds.breach(List.of(cumulative), Map.of("gw:1", figures("gw:1", 15, 5, 0, 0, 0)), ACTIVE))
                .hasValueSatisfying(reason -> assertThat(reason).contains("failure rate 0.500", "over 10 installs"));
    }

    @Test
    void given_rolled_back_or_unknown_cohorts_then_they_are_not_judged() {
        HealthBounds bounds = new HealthBounds(0.1, null, null, 1, false);
        CohortFigures rolledBackByTelemetry = new CohortFigures("gw:1", 0, 9, 0, 0, 0, true);
        CohortFigures notActiveHere = figures("gw:3", 0, 9, 0, 0, 0);

        assertThat(judge(bounds, rolledBackByTelemetry, notActiveHere)).isEmpty();
        assertThat(bounds.breach(List.of(figures("gw:1", 0, 9, 0, 0, 0)), Map.of(), Set.of("gw:2"))).isEmpty();
    }

    @Test
    void given_no_bound_then_the_gate_is_inactive_unless_it_requires_a_window() {
        assertThat(new HealthBounds(null, null, null, 1, false).active()).isFalse();
        assertThat(new HealthBounds(null, null, null, 1, true).active()).isTrue();
        assertThat(new HealthBounds(null, null, 0.3, 1, false).active()).isTrue();
        assertThat(judge(new HealthBounds(null, null, null, 1, true), figures("gw:1", 0, 9, 9, 9, 9))).isEmpty();
        assertThatThrownBy(() -> new HealthBounds(0.1, null, null, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
