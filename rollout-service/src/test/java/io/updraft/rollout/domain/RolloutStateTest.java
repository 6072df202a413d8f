package io.updraft.rollout.domain;

import static io.updraft.rollout.domain.RolloutCommand.ABORT;
import static io.updraft.rollout.domain.RolloutCommand.APPROVE;
import static io.updraft.rollout.domain.RolloutCommand.AWAIT_APPROVAL;
import static io.updraft.rollout.domain.RolloutCommand.COMPLETE;
import static io.updraft.rollout.domain.RolloutCommand.PAUSE;
import static io.updraft.rollout.domain.RolloutCommand.RESUME;
import static io.updraft.rollout.domain.RolloutCommand.START;
import static io.updraft.rollout.domain.RolloutState.ABORTED;
import static io.updraft.rollout.domain.RolloutState.COMPLETED;
import static io.updraft.rollout.domain.RolloutState.PAUSED;
import static io.updraft.rollout.domain.RolloutState.RUNNING;
import static io.updraft.rollout.domain.RolloutState.SCHEDULED;
import static io.updraft.rollout.domain.RolloutState.WAITING_FOR_APPROVAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutStateTest {

    /** Every (state, command) pair: the expected next state, or null when the command is refused. */
    static Stream<Arguments> everyPair() {
        return Stream.of(
                Arguments.of(SCHEDULED, PAUSE, null),
                Arguments.of(SCHEDULED, RESUME, null),
                Arguments.of(SCHEDULED, ABORT, ABORTED),
                Arguments.of(SCHEDULED, COMPLETE, null),
                Arguments.of(SCHEDULED, AWAIT_APPROVAL, null),
                Arguments.of(SCHEDULED, APPROVE, null),
                Arguments.of(SCHEDULED, START, RUNNING),
                Arguments.of(RUNNING, PAUSE, PAUSED),
                Arguments.of(RUNNING, RESUME, null),
                Arguments.of(RUNNING, ABORT, ABORTED),
                Arguments.of(RUNNING, COMPLETE, COMPLETED),
                Arguments.of(RUNNING, AWAIT_APPROVAL, WAITING_FOR_APPROVAL),
                Arguments.of(RUNNING, APPROVE, null),
                Arguments.of(RUNNING, START, null),
                Arguments.of(WAITING_FOR_APPROVAL, PAUSE, PAUSED),
                Arguments.of(WAITING_FOR_APPROVAL, RESUME, null),
                Arguments.of(WAITING_FOR_APPROVAL, ABORT, ABORTED),
                Arguments.of(WAITING_FOR_APPROVAL, COMPLETE, null),
                Arguments.of(WAITING_FOR_APPROVAL, AWAIT_APPROVAL, null),
                Arguments.of(WAITING_FOR_APPROVAL, APPROVE, RUNNING),
                Arguments.of(WAITING_FOR_APPROVAL, START, null),
                Arguments.of(PAUSED, PAUSE, null),
                Arguments.of(PAUSED, RESUME, RUNNING),
                Arguments.of(PAUSED, ABORT, ABORTED),
                Arguments.of(PAUSED, COMPLETE, null),
                Arguments.of(PAUSED, AWAIT_APPROVAL, null),
                Arguments.of(PAUSED, APPROVE, null),
                Arguments.of(PAUSED, START, null),
                Arguments.of(COMPLETED, PAUSE, null),
                Arguments.of(COMPLETED, RESUME, null),
                Arguments.of(COMPLETED, ABORT, null),
                Arguments.of(COMPLETED, COMPLETE, null),
                Arguments.of(COMPLETED, AWAIT_APPROVAL, null),
                Arguments.of(COMPLETED, APPROVE, null),
                Arguments.of(COMPLETED, START, null),
                Arguments.of(ABORTED, PAUSE, null),
                Arguments.of(ABORTED, RESUME, null),
                Arguments.of(ABORTED, ABORT, null),
                Arguments.of(ABORTED, COMPLETE, null),
                Arguments.of(ABORTED, AWAIT_APPROVAL, null),
                Arguments.of(ABORTED, APPROVE, null),
                Arguments.of(ABORTED, START, null));
    }

    @ParameterizedTest(name = "given {0} when {1} then {2}")
    @MethodSource("everyPair")
    void given_a_state_when_a_command_arrives_then_only_listed_transitions_happen(RolloutState state,
            RolloutCommand command, RolloutState expected) {
        assertThat(state.after(command)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void given_the_pair_table_then_it_covers_every_state_and_command_and_only_ends_are_final() {
        assertThat(everyPair().count()).isEqualTo((long) RolloutState.values().length * RolloutCommand.values().length);
        assertThat(Stream.of(RolloutState.values()).filter(RolloutState::isFinal)).containsExactly(COMPLETED, ABORTED);
    }

    @Test
    void given_the_transitions_then_in_flight_is_every_state_after_start_that_has_not_ended() {
        // started: reachable through START (only SCHEDULED has it), whatever follows; ended: final
        java.util.Set<RolloutState> started = new java.util.HashSet<>();
        java.util.Deque<RolloutState> next = new java.util.ArrayDeque<>(java.util.List.of(SCHEDULED.after(START).orElseThrow()));
        while (!next.isEmpty()) {
            RolloutState state = next.pop();
            if (started.add(state)) {
                Stream.of(RolloutCommand.values()).map(state::after).flatMap(Optional::stream).forEach(next::push);
            }
        }
        started.removeIf(RolloutState::isFinal);
        assertThat(Stream.of(RolloutState.values()).filter(RolloutState::isInFlight)).containsExactlyInAnyOrderElementsOf(started)
                .containsExactlyInAnyOrder(RUNNING, WAITING_FOR_APPROVAL, PAUSED);
        assertThat(RolloutState.inFlightNames()).containsExactlyInAnyOrder("RUNNING", "WAITING_FOR_APPROVAL", "PAUSED");
    }
}
