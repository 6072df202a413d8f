package io.updraft.rollout.domain;

import java.util.List;
import java.util.Map;

/**
 * What one statement over a rollout's actions found (one snapshot): counts per wave × cohort × kind × state, and the
 * install actions per time bucket — created (dispatched), and ended SUCCEEDED or FAILED (by {@code updated_at}, which
 * is when the action entered that state: a SUCCEEDED or FAILED action is never updated again).
 *
 * @param cells the actions per wave, cohort, kind (install or rollback) and state
 * @param dispatched install actions created, per bucket index
 * @param succeeded install actions that ended SUCCEEDED, per bucket index
 * @param failed install actions that ended FAILED, per bucket index
 */
public record ActionTally(List<Cell> cells, Map<Integer, Long> dispatched, Map<Integer, Long> succeeded,
        Map<Integer, Long> failed) {

    /** {@code count} actions of one wave and cohort, of one kind, in one state. */
    public record Cell(int wave, String cohort, boolean rollback, ActionState state, long count) {
    }
}
