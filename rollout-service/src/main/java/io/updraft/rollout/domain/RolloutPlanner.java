package io.updraft.rollout.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a target set into waves per hardware cohort, so every cohort is represented early: wave k of a cohort of n
 * devices takes ceil(percent_k × n / 100) minus what earlier waves took. Rounding up puts at least one device of
 * every non-empty cohort into wave 1, so a bad build for one board shows in the first wave, not the last.
 */
public final class RolloutPlanner {
    private RolloutPlanner() {
    }

    /** @param cohortSizes devices per cohort (cohorts with no device are left out of the plan) */
    public static RolloutPlan plan(WaveSchedule waves, Map<String, Integer> cohortSizes) {
        Map<String, int[]> cumulative = new LinkedHashMap<>();
        new TreeMap<>(cohortSizes).forEach((cohort, size) -> {
            if (size > 0) {
                int[] counts = new int[waves.count()];
                for (int wave = 1; wave <= waves.count(); wave++) {
                    counts[wave - 1] = roundUpShare(waves.percent(wave), size);
                }
                cumulative.put(cohort, counts);
            }
        });
        return new RolloutPlan(waves, cumulative);
    }

    /** ceil(percent × size / 100) in exact integer arithmetic (no floating-point surprises at 1M devices). */
    static int roundUpShare(int percent, int size) {
        long product = (long) percent * size;
        return (int) ((product + 99) / 100);
    }
}
