package io.updraft.rollout.domain;

import java.util.Map;

/**
 * One wave x cohort: its devices and its install actions (not rollbacks) by state — one action per device and
 * state, except RETRIED attempts, which sit beside the device's latest attempt.
 */
public record WaveCohortActions(int wave, String cohort, long devices, Map<ActionState, Long> actions) {
    public long count(ActionState state) {
        return actions.getOrDefault(state, 0L);
    }
}
