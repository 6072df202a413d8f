package io.updraft.rollout.domain;

import java.util.Map;
import java.util.Optional;

/** A rollout's life. Every allowed transition is listed here and nowhere else. */
public enum RolloutState {
    RUNNING, PAUSED, COMPLETED, ABORTED;

    private static final Map<RolloutState, Map<RolloutCommand, RolloutState>> TRANSITIONS = Map.of(
            RUNNING, Map.of(
                    RolloutCommand.PAUSE, PAUSED,
                    RolloutCommand.ABORT, ABORTED,
                    RolloutCommand.COMPLETE, COMPLETED),
            PAUSED, Map.of(
                    RolloutCommand.RESUME, RUNNING,
                    RolloutCommand.ABORT, ABORTED),
            COMPLETED, Map.of(),
            ABORTED, Map.of());

    /** @return the state after {@code command}, or empty when the command is not allowed in this state */
    public Optional<RolloutState> after(RolloutCommand command) {
        return Optional.ofNullable(TRANSITIONS.get(this).get(command));
    }

    public boolean isFinal() {
        return TRANSITIONS.get(this).isEmpty();
    }
}
