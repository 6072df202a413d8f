package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateBudgetTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void a_constant_rate_lets_one_install_go_at_once_then_refills_at_the_rate_up_to_two_seconds_of_it() {
        RolloutRate rate = RolloutRate.constant(600); // 10 a second
        RateBudget budget = RateBudget.start(rate, T0);
        assertThat(budget.allowed()).isEqualTo(1);
        budget = budget.spend(1);
        assertThat(budget.allowed()).isZero();
        assertThat(budget.untilNextToken()).isBetween(Duration.ofMillis(99), Duration.ofMillis(101));

        budget = budget.refill(rate, T0.plusMillis(500), 1, 0);
        assertThat(budget.allowed()).isEqualTo(5);
        // an idle minute does not save up a minute's worth: at most two seconds of the rate
        budget = budget.refill(rate, T0.plusSeconds(60), 1, 0);
        assertThat(budget.allowed()).isEqualTo(20);
        assertThat(budget.ratePerMinute()).isEqualTo(600);
    }

    @Test
    void the_exponential_ramp_multiplies_the_rate_per_step_of_notified_devices_up_to_the_maximum() {
        RolloutRate rate = new RolloutRate(1_000, 100, 2.0, 50, null);
        RateBudget budget = RateBudget.start(rate, T0);
        assertThat(budget.ratePerMinute()).isEqualTo(100);

        assertThat(budget.refill(rate, T0, 49, 0).ratePerMinute()).isEqualTo(100);
        assertThat(budget.refill(rate, T0, 50, 0).ratePerMinute()).isEqualTo(200);
        RateBudget twoSteps = budget.refill(rate, T0, 100, 0);
        assertThat(twoSteps.ratePerMinute()).isEqualTo(400);
        assertThat(twoSteps.nextStep()).isEqualTo(150);
        // capped at the maximum, and it stays there
        RateBudget capped = budget.refill(rate, T0, 10_000, 0);
        assertThat(capped.ratePerMinute()).isEqualTo(1_000);
        assertThat(capped.refill(rate, T0.plusSeconds(1), 20_000, 0).ratePerMinute()).isEqualTo(1_000);
    }

    @Test
    void a_ramp_on_succeeded_devices_ignores_how_many_were_notified() {
        RolloutRate rate = new RolloutRate(10_000, 60, 1.5, null, 10);
        RateBudget budget = RateBudget.start(rate, T0);
        assertThat(budget.refill(rate, T0, 5_000, 9).ratePerMinute()).isEqualTo(60);
        assertThat(budget.refill(rate, T0, 5_000, 10).ratePerMinute()).isEqualTo(90);
    }

    @Test
    void tokens_accrue_at_the_rate_in_force_before_it_rises() {
        RolloutRate rate = new RolloutRate(6_000, 60, 5.0, 1, null);
        RateBudget budget = RateBudget.start(rate, T0).spend(1);
        // one second at 60/min is one token; the rise to 300/min applies from now on
        RateBudget later = budget.refill(rate, T0.plusSeconds(1), 1, 0);
        assertThat(later.allowed()).isEqualTo(1);
        assertThat(later.ratePerMinute()).isEqualTo(300);
    }

    @Test
    void a_bad_rate_is_refused_with_the_field_named() {
        assertThatThrownBy(() -> RolloutRate.constant(0)).hasMessageContaining("maximumPerMinute");
        assertThatThrownBy(() -> new RolloutRate(100, 200, 2.0, 10, null)).hasMessageContaining("baseRatePerMinute");
        assertThatThrownBy(() -> new RolloutRate(100, 10, 1.0, 10, null)).hasMessageContaining("incrementFactor");
        assertThatThrownBy(() -> new RolloutRate(100, 10, 6.0, 10, null)).hasMessageContaining("incrementFactor");
        assertThatThrownBy(() -> new RolloutRate(100, 10, 2.0, null, null)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new RolloutRate(100, 10, 2.0, 5, 5)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new RolloutRate(100, 10, 2.0, 0, null)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new RolloutRate(100, null, 2.0, null, null)).hasMessageContaining("baseRatePerMinute");
    }
}
