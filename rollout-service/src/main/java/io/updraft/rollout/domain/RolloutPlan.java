package io.updraft.rollout.domain;

import java.util.Arrays;
import java.util.Collections;
import java.util.TreeMap;
import java.util.Map;

/**
 * Where each cohort's devices go: {@code cumulative.get(cohort)[k-1]} is how many of the cohort's devices (sorted by
 * id) are in waves 1..k, so device number r (1-based) belongs to the first wave whose cumulative count reaches r.
 * (With explicit groups the counts are what each group took of the stratum, summed up to group k.)
 *
 * @param ungrouped devices of the target set that no group takes (always 0 for percentage waves)
 */
public record RolloutPlan(WaveSchedule waves, Map<String, int[]> cumulative, long ungrouped) {
    public RolloutPlan {
        cumulative = Collections.unmodifiableMap(new TreeMap<>(cumulative));
    }

    public RolloutPlan(WaveSchedule waves, Map<String, int[]> cumulative) {
        this(waves, cumulative, 0);
    }

    /** Devices of {@code cohort} in {@code wave} alone. */
    public int devicesIn(String cohort, int wave) {
        int[] counts = cumulative.get(cohort);
        return counts[wave - 1] - (wave == 1 ? 0 : counts[wave - 2]);
    }

    public int devicesInWave(int wave) {
        return cumulative.keySet().stream().mapToInt(cohort -> devicesIn(cohort, wave)).sum();
    }

    public int cohortSize(String cohort) {
        int[] counts = cumulative.get(cohort);
        return counts[counts.length - 1];
    }

    public int deviceCount() {
        return cumulative.keySet().stream().mapToInt(this::cohortSize).sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("RolloutPlan[" + waves.percents()
                + (waves.grouped() ? " groups, ungrouped=" + ungrouped : ""));
        cumulative.forEach((cohort, counts) -> text.append(' ').append(cohort).append('=').append(Arrays.toString(counts)));
        return text.append(']').toString();
    }
}
