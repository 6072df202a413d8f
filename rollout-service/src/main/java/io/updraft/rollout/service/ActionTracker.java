package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutActionRetried;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.mapping.DeviceCommands;
import io.updraft.rollout.repository.CatalogRelease;
import io.updraft.rollout.repository.ReleaseCatalog;
import io.updraft.rollout.repository.RetryRepository;
import io.updraft.support.outbox.Outbox;
import java.util.List;
import io.updraft.rollout.repository.ActionRepository;
import io.updraft.rollout.repository.DeviceAction;
import io.updraft.rollout.repository.Rollout;
import io.updraft.rollout.repository.RolloutRepository;
import io.updraft.rollout.repository.WaveRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Applies what devices report about their actions. Lock order is always rollout row first, then action rows — the
 * same order rollbacks and aborts use — so concurrent decisions wait for each other instead of deadlocking.
 */
@ApplicationScoped
public class ActionTracker {
    @Inject
    ActionRepository actions;
    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    WaveProgression progression;
    @Inject
    CohortRollback cohortRollback;
    @Inject
    RetryRepository retries;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    Outbox outbox;

    /** Reports for actions that are not ours, belong to another device, or are already terminal are ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void report(String deviceId, long actionId, ActionState next) {
        Optional<DeviceAction> known = actions.find(actionId).filter(action -> action.deviceId().equals(deviceId));
        if (known.isEmpty()) {
            return;
        }
        DeviceAction action = known.get();
        if (action.state().isTerminal()) {
            if (action.state() == ActionState.CANCELED && next == ActionState.SUCCEEDED && !action.rollback()) {
                // the cancel reached the device too late: it installed the release after all
                cohortRollback.sendBackLateInstall(rollouts.lock(action.rolloutId()).orElseThrow(), action);
            }
            return;
        }
        Rollout rollout = rollouts.lock(action.rolloutId()).orElseThrow();
        if (next == ActionState.FAILED && retried(rollout, action)) {
            return;
        }
        if (!actions.advance(actionId, next)) {
            return;
        }
        if (action.rollback() || !next.isTerminal()) {
            // rollback actions never count towards a wave's progress or its error ratio
            return;
        }
        waves.countFinished(rollout.id, action.wave(), action.cohort(), switch (next) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
            default -> "canceled";
        });
        if (action.wave() == rollout.currentWave) {
            progression.reassess(rollout);
        }
    }

    /**
     * A failed install within the rollout's retry budget is sent again as a new action, in this transaction: the
     * failed attempt becomes RETRIED, the next one SCHEDULED with its InstallRequested and RolloutActionRetried in the
     * outbox. Nothing is counted: the device is judged by its last attempt.
     *
     * @return true if the failure was retried
     */
    private boolean retried(Rollout rollout, DeviceAction action) {
        if (action.rollback() || rollout.retries == 0 || rollout.state.isFinal()
                || retries.attemptOf(action.actionId()) > rollout.retries) {
            return false;
        }
        if (!actions.advance(action.actionId(), ActionState.RETRIED)) {
            return true; // no longer open: a concurrent decision (cancel, or this very report redelivered) won
        }
        retries.scheduleNextAttempt(action.actionId()).ifPresent(next -> {
            CatalogRelease release = catalog.find(action.releaseId()).orElseThrow();
            outbox.appendAll(List.of(DeviceCommands.waveInstall(action, next.actionId(), release, rollout),
                    new RolloutActionRetried(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                            rollout.id, action.deviceId(), action.wave(), action.actionId(), next.actionId(),
                            next.attempt())));
        });
        return true;
    }
}
