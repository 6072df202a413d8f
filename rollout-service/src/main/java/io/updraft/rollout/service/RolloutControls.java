package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutAborted;
import io.updraft.events.RolloutEvent.RolloutApproved;
import io.updraft.events.RolloutEvent.RolloutPaused;
import io.updraft.events.RolloutEvent.RolloutResumed;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutCommand;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.persistence.ActionRepository;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/** Operator controls: pause, resume, abort, approve. */
@ApplicationScoped
public class RolloutControls {
    @Inject
    RolloutRepository rollouts;
    @Inject
    ActionRepository actions;
    @Inject
    RolloutTransitions transitions;
    @Inject
    WaveProgression progression;
    @Inject
    WaveRepository waves;
    @Inject
    Outbox outbox;

    @Transactional
    public Rollout pause(String rolloutId, String reason) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.PAUSE);
        outbox.append(new RolloutPaused(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId,
                reason == null ? "paused by operator" : reason));
        return rollout;
    }

    /**
     * Resuming accepts the current wave's failures: the wave is judged again for progress, not for errors. A rollout
     * paused while it waited for approval waits again: its wave has not started, and resuming is not approving.
     */
    @Transactional
    public Rollout resume(String rolloutId, String reason) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.RESUME);
        outbox.append(new RolloutResumed(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId,
                reason));
        WaveRow current = waves.find(rolloutId, rollout.currentWave).orElse(null);
        if (current != null && current.state() == WaveState.PENDING && current.approval()) {
            progression.openWaves(rollout, rollout.currentWave, 0);
            return rollout;
        }
        rollout.errorsAcceptedWave = rollout.currentWave;
        progression.reassess(rollout);
        return rollout;
    }

    /** Starts the wave the rollout waits for (RolloutApproved, then the wave's RolloutGroupStarted and installs). */
    @Transactional
    public Rollout approve(String rolloutId, String approvedBy) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.APPROVE);
        int wave = rollout.currentWave;
        outbox.append(new RolloutApproved(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId,
                wave, approvedBy));
        progression.openWaves(rollout, wave, wave);
        return rollout;
    }

    /**
     * Open installs are canceled; rollback installs already sent are left to finish, they make devices safe. Every
     * wave that has not ended ends ABORTED. The one path of every abort: operator, error action, health gate, revoked
     * release.
     */
    @Transactional
    public Rollout abort(String rolloutId, String reason) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.ABORT);
        waves.abortUnended(rolloutId);
        String why = reason == null ? "aborted by operator" : reason;
        List<UpdraftEvent> events = new ArrayList<>();
        actions.cancelOpenInstalls(rolloutId, null).forEach(action -> events.add(DeviceCommands.cancel(action, why)));
        events.add(new RolloutAborted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId, why));
        outbox.appendAll(events);
        return rollout;
    }

    private Rollout locked(String rolloutId) {
        return rollouts.lock(rolloutId).orElseThrow(() -> ProblemException.notFound("rollout " + rolloutId + " not found"));
    }
}
