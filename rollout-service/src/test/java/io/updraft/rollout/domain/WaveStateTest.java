package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WaveStateTest {

    @Test
    void every_state_on_abort_ends_aborted_unless_it_had_ended() {
        Map<WaveState, WaveState> expected = Map.of(
                WaveState.PENDING, WaveState.ABORTED,
                WaveState.RUNNING, WaveState.ABORTED,
                WaveState.SOAKING, WaveState.ABORTED,
                WaveState.DONE, WaveState.DONE,
                WaveState.SKIPPED, WaveState.SKIPPED,
                WaveState.ABORTED, WaveState.ABORTED);
        assertThat(expected).containsOnlyKeys(WaveState.values());
        expected.forEach((state, after) -> assertThat(state.onAbort()).as(state.name()).isEqualTo(after));
    }
}
