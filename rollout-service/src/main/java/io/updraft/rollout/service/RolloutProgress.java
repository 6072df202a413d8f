package io.updraft.rollout.service;

import io.updraft.rollout.domain.ActionTally;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.GateVerdict;
import io.updraft.rollout.domain.HealthBounds;
import io.updraft.rollout.domain.HealthBounds.CohortFigures;
import io.updraft.rollout.domain.ProgressSeries;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.persistence.HealthGateWindows;
import io.updraft.rollout.persistence.ProgressRepository;
import io.updraft.rollout.persistence.WaveRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A rollout's progress for the API: its actions counted per wave, cohort and state and its series over time (one
 * aggregate statement, whatever the rollout's size), and the health gate's verdict on the current wave. Reads only,
 * no lock taken.
 */
@ApplicationScoped
public class RolloutProgress {
    @Inject
    ProgressRepository progress;
    @Inject
    WaveRepository waves;
    @Inject
    HealthGateWindows windows;

    /**
     * @param asOf when it was read
     * @param tally the actions counted
     * @param series installs dispatched, succeeded and failed over time, from the rollout's start
     * @param cohorts the rollout's cohorts
     * @param gate the health gate's verdict on the current wave
     */
    public record Snapshot(Instant asOf, ActionTally tally, ProgressSeries series, List<CohortRow> cohorts,
            GateVerdict gate) {
    }

    public Snapshot of(Rollout rollout) {
        Instant now = Instant.now();
        Instant from = start(rollout, now);
        Duration bucket = ProgressSeries.bucketFor(Duration.between(from, now));
        int buckets = ProgressSeries.buckets(from, now, bucket);
        ActionTally tally = progress.tally(rollout.id, from, bucket, buckets - 1);
        List<CohortRow> cohorts = waves.cohorts(rollout.id);
        return new Snapshot(now, tally, ProgressSeries.of(from, now, bucket, tally), cohorts, verdict(rollout,
                cohorts));
    }

    /** The rollout's start: its {@code startAt} once passed (a scheduled one), else its creation; never after now. */
    static Instant start(Rollout rollout, Instant now) {
        Instant start = rollout.startAt != null && rollout.startAt.isAfter(rollout.createdAt) ? rollout.startAt
                : rollout.createdAt;
        // microseconds, as PostgreSQL keeps them: buckets start exactly there
        return (start.isAfter(now) ? now : start).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private GateVerdict verdict(Rollout rollout, List<CohortRow> cohorts) {
        Optional<WaveRow> current = waves.find(rollout.id, rollout.currentWave);
        String waveState = current.map(w -> w.state().name()).orElse(null);
        HealthBounds bounds = rollout.healthBounds();
        if (bounds == null) {
            return GateVerdict.notGated(rollout.currentWave, waveState);
        }
        int wave = rollout.currentWave;
        boolean underWay = current.filter(w -> w.state() == WaveState.RUNNING || w.state() == WaveState.SOAKING)
                .isPresent();
        Instant started = current.filter(w -> w.state() != WaveState.PENDING)
                .flatMap(w -> windows.waveStart(rollout.id, wave, rollout.waveTimeoutMillis)).orElse(null);
        Optional<HealthGateWindows.Verdict> verdict = windows.verdict(rollout.id, wave);
        if (verdict.isEmpty()) {
            boolean holds = bounds.requireWindow() && underWay;
            String detail = "no health window judged since wave " + wave + (started == null ? " (not started)"
                    : " started") + (holds ? "; requireWindow holds the wave until a window that ended after its"
                            + " soak began arrives" : "");
            return new GateVerdict(GateVerdict.State.WAITING, wave, waveState, started, null, null, null, false,
                    holds, detail, List.of());
        }
        HealthGateWindows.Verdict judged = verdict.get();
        List<GateVerdict.Cohort> figures = figures(rollout.id, wave, bounds, cohorts);
        if (judged.breach() != null) {
            boolean accepted = rollout.errorsAcceptedWave == wave;
            String bound = Set.of("maxFailureRate", "maxUnhealthyRatio", "maxCrashesPerReport").stream()
                    .filter(judged.breach()::contains).findFirst().orElse(null);
            String detail = judged.breach() + " (window ending " + judged.windowEnd() + ")"
                    + (accepted ? "; accepted by a resume" : "; holds the wave until a resume accepts it");
            return new GateVerdict(GateVerdict.State.BREACHED, wave, waveState, started, judged.windowEnd(),
                    judged.breach(), bound, accepted, !accepted && underWay, detail, figures);
        }
        Instant soakBegan = current.map(WaveRow::soakUntil).map(until -> until.minus(rollout.soakTime()))
                .orElse(null);
        boolean holds = bounds.requireWindow() && underWay
                && (soakBegan == null || !judged.windowEnd().isAfter(soakBegan));
        String detail = "every cohort within bounds in the window ending " + judged.windowEnd()
                + (holds ? "; requireWindow holds the wave until a window that ended after its soak began arrives" : "");
        return new GateVerdict(GateVerdict.State.PASSING, wave, waveState, started, judged.windowEnd(), null, null,
                false, holds, detail, figures);
    }

    /** Each cohort's newest figures minus the wave's baseline, judged against the bounds. */
    private List<GateVerdict.Cohort> figures(String rolloutId, int wave, HealthBounds bounds, List<CohortRow> cohorts) {
        Set<String> active = cohorts.stream().filter(c -> c.state() == CohortState.ACTIVE).map(CohortRow::cohort)
                .collect(Collectors.toSet());
        Map<String, CohortFigures> baselines = windows.baselines(rolloutId, wave);
        return windows.latestFigures(rolloutId).values().stream().map(latest -> {
            CohortFigures f = latest.figures().since(baselines.getOrDefault(latest.figures().cohort(),
                    CohortFigures.NONE));
            boolean judged = active.contains(f.cohort());
            long installs = f.succeeded() + f.failed();
            String breaks = judged ? bounds.breach(List.of(f), Map.of(), Set.of(f.cohort())).orElse(null) : null;
            return new GateVerdict.Cohort(f.cohort(), judged, latest.windowEnd(), f.succeeded(), f.failed(),
                    ratio(f.failed(), installs), f.healthReports(), f.unhealthyReports(),
                    ratio(f.unhealthyReports(), f.healthReports()), f.crashes(),
                    ratio(f.crashes(), f.healthReports()), breaks);
        }).toList();
    }

    private static Double ratio(long count, long sample) {
        return sample == 0 ? null : (double) count / sample;
    }
}
