package io.updraft.rollout.api;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.ActionTally;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.GateVerdict;
import io.updraft.rollout.domain.ProgressSeries;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.service.RolloutProgress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/rollouts/{id}/progress}: the rollout's actions counted by state per cohort and per wave × cohort
 * (installs; rollback actions apart), installs over time from the rollout's start, and the health gate's verdict.
 *
 * @param cohorts per cohort: its devices and state, its install actions and rollback actions by state
 * @param waves per wave, per cohort: install actions by state
 * @param rollbackActions every rollback action of the rollout by state
 * @param series cumulative installs dispatched, succeeded and failed, at most 120 points
 * @param gate the health gate's current verdict
 */
public record ProgressView(String rolloutId, String state, int currentWave, Instant asOf, List<CohortCounts> cohorts,
        List<WaveCounts> waves, Map<String, Long> rollbackActions, Series series, GateVerdict gate,
        RolloutView.HealthGateView healthGate) {

    public record CohortCounts(String cohort, Integer devices, String state, Map<String, Long> installs,
            Map<String, Long> rollbacks) {
    }

    public record WaveCounts(int wave, List<WaveCohort> cohorts) {
    }

    public record WaveCohort(String cohort, Map<String, Long> installs) {
    }

    /** @param bucketSeconds the width of a bucket; point 0 is the start, each later one a bucket's end */
    public record Series(Instant from, long bucketSeconds, List<ProgressSeries.Point> points) {
    }

    static ProgressView of(Rollout rollout, RolloutProgress.Snapshot snapshot) {
        Map<String, Map<String, Long>> installs = new TreeMap<>();
        Map<String, Map<String, Long>> rollbacks = new TreeMap<>();
        Map<Integer, Map<String, Map<String, Long>>> perWave = new TreeMap<>();
        Map<String, Long> rollbackActions = byState();
        for (ActionTally.Cell cell : snapshot.tally().cells()) {
            if (cell.rollback()) {
                add(rollbacks.computeIfAbsent(cell.cohort(), c -> byState()), cell.state(), cell.count());
                add(rollbackActions, cell.state(), cell.count());
            } else {
                add(installs.computeIfAbsent(cell.cohort(), c -> byState()), cell.state(), cell.count());
                add(perWave.computeIfAbsent(cell.wave(), w -> new TreeMap<>())
                        .computeIfAbsent(cell.cohort(), c -> byState()), cell.state(), cell.count());
            }
        }
        Map<String, CohortRow> known = new LinkedHashMap<>();
        snapshot.cohorts().forEach(c -> known.put(c.cohort(), c));
        java.util.SortedSet<String> names = new java.util.TreeSet<>(known.keySet());
        names.addAll(installs.keySet());
        names.addAll(rollbacks.keySet());
        List<CohortCounts> cohorts = names.stream().map(name -> {
            CohortRow row = known.get(name);
            return new CohortCounts(name, row == null ? null : row.deviceCount(),
                    row == null ? null : row.state().name(), installs.getOrDefault(name, byState()),
                    rollbacks.getOrDefault(name, byState()));
        }).toList();
        List<WaveCounts> waves = perWave.entrySet().stream().map(wave -> new WaveCounts(wave.getKey(),
                wave.getValue().entrySet().stream().map(c -> new WaveCohort(c.getKey(), c.getValue())).toList()))
                .toList();
        ProgressSeries series = snapshot.series();
        var bounds = rollout.healthBounds();
        return new ProgressView(rollout.id, rollout.state.name(), rollout.currentWave, snapshot.asOf(), cohorts,
                waves, rollbackActions, new Series(series.from(), series.bucket().toSeconds(), series.points()),
                snapshot.gate(), bounds == null ? null : new RolloutView.HealthGateView(bounds.maxFailureRate(),
                        bounds.maxUnhealthyRatio(), bounds.maxCrashesPerReport(), bounds.minReports(),
                        bounds.requireWindow()));
    }

    /** Every state, 0 where none: the same keys in every map. */
    private static Map<String, Long> byState() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ActionState state : ActionState.values()) {
            counts.put(state.name(), 0L);
        }
        return counts;
    }

    private static void add(Map<String, Long> counts, ActionState state, long count) {
        counts.merge(state.name(), count, Long::sum);
    }

}
