package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.RolloutEvent.RolloutPaused;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.config.HealthGateConfig;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.ErrorAction;
import io.updraft.rollout.domain.HealthBounds;
import io.updraft.rollout.domain.HealthBounds.CohortFigures;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutCommand;
import io.updraft.rollout.domain.RolloutState;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.persistence.HealthGateWindows;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The health gate of a wave: while it runs and soaks, telemetry's health windows (fleet-health) must keep every ACTIVE
 * cohort within the rollout's {@link HealthBounds}, judged on what happened since the wave started. A window that
 * breaks a bound stops the rollout at once (PAUSE, or ABORT if that is the wave's error action); with
 * {@code requireWindow} a soaked wave advances only once a window that ended after its soak began has arrived. The
 * other half of the gate is the cohort rollback: a RollbackTriggered during the soak stops that cohort
 * ({@link CohortRollback}). Every decision is made under the rollout row lock, from what {@link HealthGateWindows}
 * stored, so it survives restarts and holds at several replicas.
 */
@ApplicationScoped
public class HealthGate {
    @Inject
    HealthGateConfig config;
    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    HealthGateWindows windows;
    @Inject
    RolloutTransitions transitions;
    @Inject
    RolloutControls controls;
    @Inject
    Outbox outbox;

    /** The rollout's gate from its request, each bound defaulting to the configured one; null if it judges nothing. */
    public HealthBounds bounds(NewRollout.GateBounds request) {
        NewRollout.GateBounds given = request == null ? new NewRollout.GateBounds(null, null, null, null, null)
                : request;
        HealthBounds bounds = new HealthBounds(
                given.maxFailureRate() != null ? given.maxFailureRate() : config.maxFailureRate().orElse(null),
                given.maxUnhealthyRatio() != null ? given.maxUnhealthyRatio() : config.maxUnhealthyRatio().orElse(null),
                given.maxCrashesPerReport() != null ? given.maxCrashesPerReport()
                        : config.maxCrashesPerReport().orElse(null),
                given.minReports() != null ? given.minReports() : Math.max(1, config.minReports()),
                given.requireWindow() != null ? given.requireWindow() : config.requireWindow());
        return bounds.active() ? bounds : null;
    }

    /**
     * A health window of a rollout closed: if it ended after the current wave started, it is judged against the
     * wave's baseline and its verdict kept; a breach stops a RUNNING rollout whose wave's failures were not accepted
     * by a resume. The window's figures become the newest ones (the next wave's baseline). Windows of unknown or
     * ungated rollouts, and windows older than one already stored, change nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void windowClosed(HealthWindowClosed window) {
        if (!windows.gated(window.rolloutId())) {
            return;
        }
        Rollout rollout = rollouts.lock(window.rolloutId()).orElseThrow();
        if (windows.lastWindowEnd(rollout.id).filter(last -> !last.isBefore(window.windowEnd()))
                .isPresent()) {
            return;
        }
        WaveRow wave = waves.find(rollout.id, rollout.currentWave).orElse(null);
        boolean judged = wave != null && (wave.state() == WaveState.RUNNING || wave.state() == WaveState.SOAKING)
                && windows.waveStart(rollout.id, wave.wave(), rollout.waveTimeoutMillis)
                        .filter(start -> window.windowEnd().isAfter(start)).isPresent();
        if (judged) {
            judge(rollout, rollout.healthBounds(), wave.wave(), window);
        }
        windows.storeFigures(rollout.id, window.windowEnd(), window.cohorts());
        if (judged && rollout.state == RolloutState.RUNNING) {
            Optional<String> breach = windows.verdict(rollout.id, wave.wave()).map(HealthGateWindows.Verdict::breach);
            if (breach.isPresent() && rollout.errorsAcceptedWave != wave.wave()) {
                stop(rollout, wave, breach.get());
            }
        }
    }

    /**
     * Called before a soaked wave is judged for its errors: true if the gate holds it back — it broke a bound (the
     * rollout is stopped here) or, with {@code requireWindow}, no window that ended after its soak began arrived yet
     * (it waits; the next tick asks again).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean holdsBack(Rollout rollout) {
        HealthBounds bounds = rollout.healthBounds();
        if (bounds == null) {
            return false;
        }
        WaveRow wave = waves.find(rollout.id, rollout.currentWave).orElseThrow();
        Optional<HealthGateWindows.Verdict> verdict = windows.verdict(rollout.id, wave.wave());
        if (verdict.map(HealthGateWindows.Verdict::breach).isPresent() && rollout.errorsAcceptedWave != wave.wave()) {
            stop(rollout, wave, verdict.get().breach());
            return true;
        }
        if (bounds.requireWindow() && wave.soakUntil() != null) {
            Instant soakBegan = wave.soakUntil().minus(rollout.soakTime());
            return verdict.filter(v -> v.windowEnd().isAfter(soakBegan)).isEmpty();
        }
        return false;
    }

    private void judge(Rollout rollout, HealthBounds bounds, int wave, HealthWindowClosed window) {
        if (windows.verdict(rollout.id, wave).isEmpty()) {
            windows.takeBaseline(rollout.id, wave);
        }
        Set<String> active = waves.cohorts(rollout.id).stream().filter(c -> c.state() == CohortState.ACTIVE)
                .map(CohortRow::cohort).collect(Collectors.toSet());
        List<CohortFigures> figures = window.cohorts().stream().map(HealthGate::figures).toList();
        String breach = bounds.breach(figures, windows.baselines(rollout.id, wave), active).orElse(null);
        windows.recordVerdict(rollout.id, wave, window.windowEnd(), breach);
    }

    /**
     * The gate failed: the rollout pauses (the wave stays as it is; resume accepts it) or aborts, by the wave's error
     * action (its own, else the rollout's).
     */
    private void stop(Rollout rollout, WaveRow wave, String breach) {
        String reason = breach + " (wave " + wave.wave() + ")";
        if (wave.rules(rollout).errorAction() == ErrorAction.ABORT) {
            controls.abort(rollout.id, reason);
            return;
        }
        transitions.apply(rollout, RolloutCommand.PAUSE);
        outbox.append(new RolloutPaused(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rollout.id,
                reason));
    }

    private static CohortFigures figures(CohortHealth health) {
        return new CohortFigures(health.cohort(), health.succeeded(), health.failed(), health.healthReports(),
                health.unhealthyReports(), health.crashes(), health.rolledBack());
    }
}
