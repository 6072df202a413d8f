package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.rollout.domain.GroupAssignment.Candidate;
import io.updraft.rollout.domain.filter.FilterParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Explicit wave groups: their validation, the share a group takes, the plan, and the Java reference semantics. */
class GroupPlanningTest {

    private static WaveGroup group(String name, String filter) {
        return new WaveGroup(name, filter, filter == null ? null : FilterParser.parse(filter));
    }

    private static WaveSchedule groups(List<Integer> percents, WaveGroup... groups) {
        return new WaveSchedule(percents, List.of(groups), null);
    }

    @Test
    void given_groups_then_percentages_need_not_ascend_and_names_must_be_unique() {
        WaveSchedule schedule = groups(List.of(50, 10, 100), group("lab", "region == \"lab\""), group("eu", null),
                group("rest", null));
        assertThat(schedule.grouped()).isTrue();
        assertThat(schedule.name(2)).isEqualTo("eu");
        assertThat(schedule.rules(3)).isEqualTo(WaveRules.NONE);

        assertThatThrownBy(() -> groups(List.of(100, 100), group("a", null), group("a", null)))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> groups(List.of(0), group("a", null))).hasMessageContaining("1..100");
        assertThatThrownBy(() -> groups(List.of(101), group("a", null))).hasMessageContaining("1..100");
        assertThatThrownBy(() -> group(" ", null)).hasMessageContaining("name");
        assertThatThrownBy(() -> new WaveSchedule(List.of(50, 100), List.of(group("a", null)), null))
                .isInstanceOf(IllegalArgumentException.class);
        // percentage waves keep their rules
        assertThat(new WaveSchedule(List.of(20, 100)).grouped()).isFalse();
        assertThat(new WaveSchedule(List.of(20, 100)).name(1)).isNull();
    }

    @Test
    void given_a_stratum_then_a_group_takes_its_rounded_up_share_lifted_to_the_canary() {
        assertThat(RolloutPlanner.groupShare(50, 7, 0)).isEqualTo(4);
        assertThat(RolloutPlanner.groupShare(25, 4, 3)).isEqualTo(3); // canary lifts ceil(1)
        assertThat(RolloutPlanner.groupShare(10, 2, 3)).isEqualTo(2); // never more than the stratum has
        assertThat(RolloutPlanner.groupShare(100, 5, 0)).isEqualTo(5);
        assertThat(RolloutPlanner.groupShare(1, 0, 3)).isZero();
        assertThat(RolloutPlanner.groupShare(1, 1_000_000, 0)).isEqualTo(10_000);
        assertThatThrownBy(() -> RolloutPlanner.groupShare(10, 5, -1)).hasMessageContaining("negative");
    }

    @Test
    void given_what_each_group_took_then_the_plan_adds_it_up_per_stratum() {
        WaveSchedule schedule = groups(List.of(100, 50, 100), group("lab", "region == \"lab\""),
                group("eu", "region == \"eu\""), group("rest", null));
        RolloutPlan plan = RolloutPlanner.planGroups(schedule,
                Map.of("a:1", new int[] {2, 3, 5}, "b:1", new int[] {0, 0, 4}, "c:1", new int[] {0, 0, 0}), 7);

        assertThat(plan.cumulative()).containsOnlyKeys("a:1", "b:1"); // a stratum no group took is no part of it
        assertThat(plan.cumulative().get("a:1")).containsExactly(2, 5, 10);
        assertThat(plan.devicesInWave(1)).isEqualTo(2);
        assertThat(plan.devicesInWave(2)).isEqualTo(3);
        assertThat(plan.devicesInWave(3)).isEqualTo(9);
        assertThat(plan.deviceCount()).isEqualTo(14);
        assertThat(plan.ungrouped()).isEqualTo(7);
        assertThatThrownBy(() -> RolloutPlanner.planGroups(schedule, Map.of("a:1", new int[] {1}), 0))
                .hasMessageContaining("group counts");
        assertThatThrownBy(() -> RolloutPlanner.planGroups(new WaveSchedule(List.of(100)), Map.of(), 0))
                .hasMessageContaining("groups");
    }

    @Test
    void given_groups_then_each_takes_from_what_earlier_groups_left_and_only_group_one_has_a_canary() {
        List<Candidate> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            devices.add(new Candidate("lab-" + i, "m:1", Map.of("region", "lab"), "1.0.0"));
            devices.add(new Candidate("eu-" + i, "m:1", Map.of("region", "eu"), "1.0.0"));
        }
        devices.add(new Candidate("us-0", "m:1", Map.of("region", "us"), "1.0.0"));
        devices.add(new Candidate("eu-x", "n:1", Map.of("region", "eu"), "2.0.0"));
        // lab: 50 % of 4 is 2, the canary of 3 lifts it; eu: 25 % of 4 is 1 (no canary), of n:1's 1 is 1
        WaveSchedule schedule = groups(List.of(50, 25, 100), group("lab", "region == \"lab\""),
                group("eu", "region == \"eu\""), group("rest", "version < \"2.0.0\""));

        Map<String, Integer> waves = GroupAssignment.assign(schedule, devices, 3);

        assertThat(waves).containsEntry("lab-0", 1).containsEntry("lab-1", 1).containsEntry("lab-2", 1)
                .containsEntry("eu-0", 2).containsEntry("eu-x", 2)
                .containsEntry("lab-3", 3).containsEntry("eu-1", 3).containsEntry("eu-2", 3).containsEntry("eu-3", 3)
                .containsEntry("us-0", 3).hasSize(10);
        // without "rest", the devices the first two groups leave are in no group
        WaveSchedule two = groups(List.of(50, 25), group("lab", "region == \"lab\""), group("eu", "region == \"eu\""));
        assertThat(GroupAssignment.assign(two, devices, 3)).hasSize(5).doesNotContainKeys("lab-3", "us-0");
        // a device matching two groups goes to the first that takes it
        WaveSchedule overlapping = groups(List.of(100, 100), group("all", null), group("lab", "region == \"lab\""));
        assertThat(GroupAssignment.assign(overlapping, devices, 0).values()).containsOnly(1);
    }
}
