package io.updraft.rollout.rest;

import io.updraft.rollout.domain.RolloutPlan;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What a rollout request would do now: how many devices match, each canary stratum ("cohort": hardware cohort, plus
 * the cohortBy attributes) with the devices each wave takes from it, and each wave's size.
 */
public record RolloutPreview(long matching, List<CohortPlan> cohorts, List<WavePlan> waves) {

    public record CohortPlan(String cohort, int devices, List<Integer> perWave) {
    }

    public record WavePlan(int wave, int percent, int devices, boolean approval) {
    }

    public static RolloutPreview of(RolloutPlan plan, Set<Integer> approvals) {
        int count = plan.waves().count();
        List<CohortPlan> cohorts = plan.cumulative().keySet().stream()
                .map(stratum -> new CohortPlan(stratum, plan.cohortSize(stratum),
                        IntStream.rangeClosed(1, count).mapToObj(wave -> plan.devicesIn(stratum, wave)).toList()))
                .toList();
        List<WavePlan> waves = IntStream.rangeClosed(1, count)
                .mapToObj(wave -> new WavePlan(wave, plan.waves().percent(wave), plan.devicesInWave(wave),
                        approvals.contains(wave)))
                .toList();
        return new RolloutPreview(plan.deviceCount(), cohorts, waves);
    }
}
