package io.updraft.rollout.domain;

import java.time.Instant;

/**
 * One wave of a rollout as stored, with its effective rules.
 *
 * @param approval the wave waits for an operator's approval before it starts
 * @param name the explicit group's name, or null for a percentage wave
 * @param filter the explicit group's filter, or null
 * @param successThreshold the wave's effective success threshold, or null (created before V50: the rollout's)
 * @param errorThreshold the wave's effective error threshold, or null (the rollout's)
 * @param errorAction the wave's effective error action, or null (the rollout's)
 */
public record WaveRow(int wave, int percent, int deviceCount, WaveState state, Instant soakUntil,
        boolean approval, boolean timedOut, String name, String filter, Double successThreshold,
        Double errorThreshold, ErrorAction errorAction) {

    /** The rules the wave is judged by: its own, else the rollout's. */
    public WaveRules rules(Rollout rollout) {
        return new WaveRules(successThreshold, errorThreshold, errorAction).orElse(rollout.successThreshold,
                rollout.errorThreshold, rollout.errorAction == null ? ErrorAction.PAUSE : rollout.errorAction);
    }
}
