package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutAwaitingApproval;
import io.updraft.events.RolloutEvent.RolloutCompleted;
import io.updraft.events.RolloutEvent.RolloutPaused;
import io.updraft.events.RolloutEvent.RolloutStarted;
import io.updraft.events.RolloutEvent.RolloutWaveTimedOut;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutCommand;
import io.updraft.rollout.domain.RolloutState;
import io.updraft.rollout.domain.WaveJudge;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.domain.WaveRules;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.persistence.ActionRepository;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;

/**
 * Moves a rollout through its waves. Callers hold the rollout row lock, so replicas and consumer threads never
 * decide about the same rollout at once.
 */
@ApplicationScoped
public class WaveProgression {
    @Inject
    WaveRepository waves;
    @Inject
    ActionRepository actions;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    WaveLauncher launcher;
    @Inject
    HealthGate healthGate;
    @Inject
    RolloutTransitions transitions;
    @Inject
    Outbox outbox;
    @Inject
    RolloutControls controls;

    /** Judges the current wave after its counters changed: it soaks once enough of its devices finished. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reassess(Rollout rollout) {
        if (rollout.state != RolloutState.RUNNING) {
            return;
        }
        WaveRow wave = waves.find(rollout.id, rollout.currentWave).orElseThrow();
        if (wave.state() != WaveState.RUNNING) {
            return;
        }
        if (WaveJudge.whileRunning(waves.progress(rollout.id, wave.wave()), wave.rules(rollout).successThreshold())
                == WaveJudge.Verdict.SOAK) {
            waves.soak(rollout.id, wave.wave(), Instant.now().plus(rollout.soakTime()));
        }
    }

    /**
     * The running wave's timeout passed: it soaks with whatever is still pending. Pending devices keep their open
     * actions (they install when they come back) and count neither as failed nor against the success threshold; the
     * soaked wave is then judged by {@link #advance} on what finished.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void timeOut(Rollout rollout) {
        WaveJudge.WaveProgress progress = waves.progress(rollout.id, rollout.currentWave);
        if (WaveJudge.atTimeout(progress) == WaveJudge.Verdict.SOAK) {
            waves.soakTimedOut(rollout.id, rollout.currentWave, Instant.now().plus(rollout.soakTime()));
            outbox.append(new RolloutWaveTimedOut(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    rollout.id, rollout.currentWave, (int) Math.max(0, progress.devices() - progress.finished())));
        }
    }

    /** A scheduled rollout's start time came: RolloutStarted, then wave 1 starts (or waits for its approval). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(Rollout rollout) {
        transitions.apply(rollout, RolloutCommand.START);
        outbox.append(new RolloutStarted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rollout.id));
        openWaves(rollout, 1, 0);
    }

    /**
     * The current wave soaked: pause if its active cohorts failed too often, otherwise start the next wave with
     * devices left, or complete the rollout. A paused wave stays SOAKING; resuming accepts its failures.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void advance(Rollout rollout) {
        if (healthGate.holdsBack(rollout)) {
            return; // the health gate stopped the rollout, or the wave waits for a health window (HealthGate)
        }
        // the wave's own error threshold and error action (resolved at creation), else the rollout's
        WaveRow soaked = waves.find(rollout.id, rollout.currentWave).orElseThrow();
        WaveRules rules = soaked.rules(rollout);
        WaveJudge.WaveProgress progress = waves.progress(rollout.id, rollout.currentWave);
        WaveJudge.Verdict verdict = WaveJudge.afterSoak(progress, rules.errorThreshold(), rollout.errorMinSample,
                rollout.errorsAcceptedWave == rollout.currentWave, rules.errorAction());
        if (verdict == WaveJudge.Verdict.PAUSE || verdict == WaveJudge.Verdict.ABORT) {
            String reason = String.format(java.util.Locale.ROOT, "wave %d%s failure ratio %.3f (%d of %d) exceeded"
                    + " its error threshold %s", rollout.currentWave,
                    soaked.name() == null ? "" : " (group \"" + soaked.name() + "\")",
                    WaveJudge.failureRatio(progress), progress.failed(), progress.succeeded() + progress.failed(),
                    rules.errorThreshold());
            if (verdict == WaveJudge.Verdict.ABORT) {
                // the operator's abort, in this transaction: open installs canceled, RolloutAborted with the reason
                controls.abort(rollout.id, reason);
                return;
            }
            transitions.apply(rollout, RolloutCommand.PAUSE);
            outbox.append(new RolloutPaused(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    rollout.id, reason));
            return;
        }
        waves.setState(rollout.id, rollout.currentWave, WaveState.DONE);
        openWaves(rollout, rollout.currentWave + 1, 0);
    }

    /**
     * Starts the first wave from {@code from} on that has devices in ACTIVE cohorts — or, if that wave needs an
     * operator's approval it has not had ({@code approvedWave}), waits for it (WAITING_FOR_APPROVAL,
     * RolloutAwaitingApproval). Waves without such devices are SKIPPED; with none left the rollout completes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void openWaves(Rollout rollout, int from, int approvedWave) {
        CatalogRelease release = catalog.find(rollout.releaseId).orElseThrow();
        for (int next = from; next <= rollout.waveCount; next++) {
            WaveRow wave = waves.find(rollout.id, next).orElseThrow();
            if (wave.approval() && next != approvedWave) {
                long devices = waves.activeDevices(rollout.id, next);
                if (devices > 0) {
                    rollout.currentWave = next;
                    transitions.apply(rollout, RolloutCommand.AWAIT_APPROVAL);
                    outbox.append(new RolloutAwaitingApproval(EventMeta.newId(), EventMeta.now(),
                            UpdraftEvent.SCHEMA_VERSION, rollout.id, next, (int) devices));
                    return;
                }
            }
            if (launcher.start(rollout, next, release)) {
                reassess(rollout);
                return;
            }
            rollout.currentWave = next;
        }
        complete(rollout);
    }

    private void complete(Rollout rollout) {
        transitions.apply(rollout, RolloutCommand.COMPLETE);
        Map<ActionState, Long> totals = new java.util.EnumMap<>(ActionState.class);
        actions.installCounts(rollout.id).values()
                .forEach(perWave -> perWave.forEach((state, count) -> totals.merge(state, count, Long::sum)));
        outbox.append(new RolloutCompleted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rollout.id,
                totals.getOrDefault(ActionState.SUCCEEDED, 0L).intValue(),
                totals.getOrDefault(ActionState.FAILED, 0L).intValue(),
                waves.cohorts(rollout.id).stream().filter(c -> c.state() == CohortState.ROLLED_BACK)
                        .map(CohortRow::cohort).toList()));
    }
}
