package io.updraft.rollout.service;

import io.updraft.rollout.domain.ActionState;
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
            default -> "canceled";
        });
        if (action.wave() == rollout.currentWave) {
            progression.reassess(rollout);
        }
    }
}
