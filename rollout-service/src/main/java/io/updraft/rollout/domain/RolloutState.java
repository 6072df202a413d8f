package io.updraft.rollout.domain;

import java.util.Map;
import java.util.Optional;

/** A rollout's life. Every allowed transition is listed here and nowhere else. */
public enum RolloutState {
    SCHEDULED, RUNNING, WAITING_FOR_APPROVAL, PAUSED, COMPLETED, ABORTED;

    private static final Map<RolloutState, Map<RolloutCommand, RolloutState>> TRANSITIONS = Map.of(
            // created with a future startAt: nothing exists of wave 1 yet; START at that time, or abort before it
            SCHEDULED, Map.of(
                    RolloutCommand.START, RUNNING,
                    RolloutCommand.ABORT, ABORTED),
            RUNNING, Map.of(
                    RolloutCommand.PAUSE, PAUSED,
                    RolloutCommand.ABORT, ABORTED,
                    RolloutCommand.COMPLETE, COMPLETED,
                    RolloutCommand.AWAIT_APPROVAL, WAITING_FOR_APPROVAL),
            // nothing of the awaited wave has been sent: approve starts it, pause and abort work as while running
            WAITING_FOR_APPROVAL, Map.of(
                    RolloutCommand.APPROVE, RUNNING,
                    RolloutCommand.PAUSE, PAUSED,
                    RolloutCommand.ABORT, ABORTED),
            // a rollout paused while it waited goes back to waiting on resume (RUNNING, then AWAIT_APPROVAL)
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

    /**
     * In flight (the tenant quota {@code maxRolloutsInFlight}, ADR 0021): started and not ended. A PAUSED rollout counts —
     * its devices may be mid-install and a resume continues it without asking — as does one WAITING_FOR_APPROVAL
     * between its waves; a SCHEDULED one has sent nothing yet and takes no slot until it starts.
     */
    public boolean isInFlight() {
        return this == RUNNING || this == WAITING_FOR_APPROVAL || this == PAUSED;
    }

    /** The states {@link #isInFlight} answers true for, as stored. */
    public static java.util.List<String> inFlightNames() {
        return java.util.Arrays.stream(values()).filter(RolloutState::isInFlight).map(Enum::name).toList();
    }
}
