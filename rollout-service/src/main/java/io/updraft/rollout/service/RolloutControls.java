package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutAborted;
import io.updraft.events.RolloutEvent.RolloutPaused;
import io.updraft.events.RolloutEvent.RolloutResumed;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.RolloutCommand;
import io.updraft.rollout.mapping.DeviceCommands;
import io.updraft.rollout.repository.ActionRepository;
import io.updraft.rollout.repository.Rollout;
import io.updraft.rollout.repository.RolloutRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/** Operator controls: pause, resume, abort. */
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
    Outbox outbox;

    @Transactional
    public Rollout pause(String rolloutId, String reason) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.PAUSE);
        outbox.append(new RolloutPaused(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId,
                reason == null ? "paused by operator" : reason));
        return rollout;
    }

    /** Resuming accepts the current wave's failures: the wave is judged again for progress, not for errors. */
    @Transactional
    public Rollout resume(String rolloutId) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.RESUME);
        rollout.errorsAcceptedWave = rollout.currentWave;
        outbox.append(new RolloutResumed(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId));
        progression.reassess(rollout);
        return rollout;
    }

    /** Open installs are canceled; rollback installs already sent are left to finish, they make devices safe. */
    @Transactional
    public Rollout abort(String rolloutId, String reason) {
        Rollout rollout = locked(rolloutId);
        transitions.apply(rollout, RolloutCommand.ABORT);
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
