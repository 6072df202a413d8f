package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {

    @Test
    void given_two_cohorts_when_planned_in_20_100_then_each_cohort_is_split_by_its_own_size() {
        RolloutPlan plan = RolloutPlanner.plan(new WaveSchedule(List.of(20, 100)), Map.of("a:1", 10, "b:1", 25));

        assertThat(plan.cumulative().get("a:1")).containsExactly(2, 10);
        assertThat(plan.cumulative().get("b:1")).containsExactly(5, 25);
        assertThat(plan.devicesInWave(1)).isEqualTo(7);
        assertThat(plan.devicesInWave(2)).isEqualTo(28);
        assertThat(plan.deviceCount()).isEqualTo(35);
    }

    @Test
    void given_tiny_cohorts_when_planned_then_every_cohort_has_a_device_in_wave_one() {
        RolloutPlan plan = RolloutPlanner.plan(new WaveSchedule(List.of(1, 50, 100)),
                Map.of("a:1", 1, "b:1", 2, "c:1", 3, "d:1", 199));

        List.of("a:1", "b:1", "c:1").forEach(cohort -> assertThat(plan.devicesIn(cohort, 1)).as(cohort).isEqualTo(1));
        assertThat(plan.devicesIn("d:1", 1)).isEqualTo(2); // ceil(1.99)
        assertThat(plan.devicesIn("d:1", 2)).isEqualTo(98); // ceil(99.5) = 100 cumulative, minus 2
        assertThat(plan.devicesIn("a:1", 2)).isZero();
    }

    @Test
    void given_fractional_shares_when_planned_then_cumulative_counts_round_up_and_end_at_the_cohort_size() {
        RolloutPlan plan = RolloutPlanner.plan(new WaveSchedule(List.of(10, 33, 66, 100)), Map.of("x:1", 7));

        // 0.7 -> 1, 2.31 -> 3, 4.62 -> 5, 7
        assertThat(plan.cumulative().get("x:1")).containsExactly(1, 3, 5, 7);
        assertThat(plan.cohortSize("x:1")).isEqualTo(7);
    }

    @Test
    void given_a_million_devices_when_rounding_then_integer_arithmetic_does_not_overflow() {
        assertThat(RolloutPlanner.roundUpShare(100, 1_000_000)).isEqualTo(1_000_000);
        assertThat(RolloutPlanner.roundUpShare(33, 1_000_001)).isEqualTo(330_001);
    }

    @Test
    void given_an_empty_cohort_when_planned_then_it_is_left_out() {
        RolloutPlan plan = RolloutPlanner.plan(WaveSchedule.SINGLE_WAVE, Map.of("a:1", 0, "b:1", 4));

        assertThat(plan.cumulative()).containsOnlyKeys("b:1");
    }

    @Test
    void given_invalid_wave_lists_when_scheduled_then_they_are_refused() {
        assertThatThrownBy(() -> new WaveSchedule(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WaveSchedule(List.of(20, 20, 100))).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new WaveSchedule(List.of(50, 20, 100))).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new WaveSchedule(List.of(0, 100))).hasMessageContaining("1..100");
        assertThatThrownBy(() -> new WaveSchedule(List.of(50, 101))).hasMessageContaining("1..100");
        assertThatThrownBy(() -> new WaveSchedule(List.of(20, 90))).hasMessageContaining("last wave");
        assertThat(new WaveSchedule(List.of(100)).count()).isEqualTo(1);
    }

    @Test
    void given_a_canary_of_3_when_cohorts_differ_in_size_then_wave_one_covers_each_with_at_least_3_or_all() {
        RolloutPlan plan = RolloutPlanner.plan(new WaveSchedule(List.of(1, 10, 100)),
                Map.of("big:1", 1000, "mid:1", 40, "small:1", 2, "tiny:1", 1), 3);

        assertThat(plan.devicesIn("big:1", 1)).isEqualTo(10); // its 1 % share is more than the canary
        assertThat(plan.devicesIn("mid:1", 1)).isEqualTo(3); // 1 % would be 1: the canary lifts it to 3
        assertThat(plan.devicesIn("small:1", 1)).isEqualTo(2); // all of it
        assertThat(plan.devicesIn("tiny:1", 1)).isEqualTo(1);
        assertThat(plan.devicesInWave(1)).isEqualTo(16);
        // later waves take the rest by percentage
        assertThat(plan.cumulative().get("big:1")).containsExactly(10, 100, 1000);
        assertThat(plan.cumulative().get("mid:1")).containsExactly(3, 4, 40);
        assertThat(plan.devicesIn("small:1", 2)).isZero();
        assertThat(plan.deviceCount()).isEqualTo(1043);
    }

    @Test
    void given_a_canary_larger_than_a_later_share_then_cumulative_counts_never_go_down() {
        RolloutPlan plan = RolloutPlanner.plan(new WaveSchedule(List.of(5, 20, 100)), Map.of("a:1", 30), 10);

        assertThat(plan.cumulative().get("a:1")).containsExactly(10, 10, 30);
        assertThat(plan.devicesIn("a:1", 2)).isZero();
        assertThat(plan.devicesIn("a:1", 3)).isEqualTo(20);
    }

    @Test
    void given_strata_cut_by_an_attribute_then_each_stratum_gets_its_own_canary() {
        RolloutPlan plan = RolloutPlanner.plan(new WaveSchedule(List.of(10, 100)),
                Map.of("gw:1 region=eu", 50, "gw:1 region=us", 50, "gw:1 region=-", 5), 3);

        assertThat(plan.cumulative().keySet()).containsExactly("gw:1 region=-", "gw:1 region=eu", "gw:1 region=us");
        assertThat(plan.cumulative().values()).allSatisfy(counts -> assertThat(counts[0]).isGreaterThanOrEqualTo(3));
        assertThat(plan.devicesInWave(1)).isEqualTo(5 + 5 + 3);
    }

    @Test
    void given_no_canary_then_the_plan_is_the_percentage_split() {
        Map<String, Integer> sizes = Map.of("a:1", 10, "b:1", 25);
        WaveSchedule waves = new WaveSchedule(List.of(20, 100));

        assertThat(RolloutPlanner.plan(waves, sizes, 0).cumulative().get("a:1"))
                .containsExactly(RolloutPlanner.plan(waves, sizes).cumulative().get("a:1"));
        assertThat(RolloutPlanner.plan(waves, sizes, 3).cumulative().get("a:1")).containsExactly(3, 10);
        assertThatThrownBy(() -> RolloutPlanner.plan(waves, sizes, -1)).hasMessageContaining("negative");
    }
}
