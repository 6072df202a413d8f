package io.updraft.rollout.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a target set into waves per stratum (a hardware cohort, or a hardware cohort × the attributes the operator
 * named in {@code cohortBy}), so every configuration is represented early.
 *
 * <p>Coverage-first canary: wave 1 of a stratum of n devices takes max(ceil(percent_1 × n / 100), min(canary, n)) —
 * at least {@code canary} devices of every configuration (all of it when smaller) are tested on real devices before
 * the mass waves. Later waves take ceil(percent_k × n / 100) cumulatively (never less than wave 1 already took), so
 * the rest follows by percentage. Rounding up alone puts at least one device of every stratum into wave 1.
 */
public final class RolloutPlanner {
    private RolloutPlanner() {
    }

    /** Percentages only (no canary minimum). */
    public static RolloutPlan plan(WaveSchedule waves, Map<String, Integer> strataSizes) {
        return plan(waves, strataSizes, 0);
    }

    /**
     * @param strataSizes devices per stratum (strata with no device are left out of the plan)
     * @param canaryPerCohort devices of every stratum that wave 1 takes at least (0: percentages only)
     */
    public static RolloutPlan plan(WaveSchedule waves, Map<String, Integer> strataSizes, int canaryPerCohort) {
        if (canaryPerCohort < 0) {
            throw new IllegalArgumentException("canaryPerCohort must not be negative, got " + canaryPerCohort);
        }
        Map<String, int[]> cumulative = new LinkedHashMap<>();
        new TreeMap<>(strataSizes).forEach((stratum, size) -> {
            if (size > 0) {
                int[] counts = new int[waves.count()];
                int canary = Math.min(canaryPerCohort, size);
                for (int wave = 1; wave <= waves.count(); wave++) {
                    counts[wave - 1] = Math.max(roundUpShare(waves.percent(wave), size), canary);
                }
                cumulative.put(stratum, counts);
            }
        });
        return new RolloutPlan(waves, cumulative);
    }

    /**
     * Devices an explicit group takes from one stratum: its {@code candidates} are the stratum's devices that match
     * the group's filter and that no earlier group took; it takes max(ceil(percent × candidates / 100), min(canary,
     * candidates)) of them, the first by device id. Only group 1 has a canary ({@code canary} 0 for the others).
     * {@code AssignmentRepository} computes the same in SQL.
     */
    public static int groupShare(int percent, int candidates, int canary) {
        if (canary < 0) {
            throw new IllegalArgumentException("canaryPerCohort must not be negative, got " + canary);
        }
        return Math.min(candidates, Math.max(roundUpShare(percent, candidates), Math.min(canary, candidates)));
    }

    /**
     * The plan of explicit groups from what each group took of each stratum.
     *
     * @param taken stratum → devices each group (wave 1 first) took of it
     * @param ungrouped devices of the target set no group took
     */
    public static RolloutPlan planGroups(WaveSchedule groups, Map<String, int[]> taken, long ungrouped) {
        if (!groups.grouped()) {
            throw new IllegalArgumentException("planGroups needs explicit groups");
        }
        Map<String, int[]> cumulative = new LinkedHashMap<>();
        new TreeMap<>(taken).forEach((stratum, counts) -> {
            if (counts.length != groups.count()) {
                throw new IllegalArgumentException("stratum " + stratum + " has " + counts.length + " group counts for "
                        + groups.count() + " groups");
            }
            int[] sums = new int[counts.length];
            int sum = 0;
            for (int i = 0; i < counts.length; i++) {
                sum += counts[i];
                sums[i] = sum;
            }
            if (sum > 0) {
                cumulative.put(stratum, sums);
            }
        });
        return new RolloutPlan(groups, cumulative, ungrouped);
    }

    /** ceil(percent × size / 100) in exact integer arithmetic (no floating-point surprises at 1M devices). */
    static int roundUpShare(int percent, int size) {
        long product = (long) percent * size;
        return (int) ((product + 99) / 100);
    }
}
