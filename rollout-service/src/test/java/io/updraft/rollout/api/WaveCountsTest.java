package io.updraft.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.rollout.api.RolloutViews.WaveCounts;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.WaveCohortActions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WaveCountsTest {

    @Test
    void given_a_cohort_rolled_back_mid_wave_then_its_devices_are_rolled_back_skipped_or_failed_never_pending() {
        // wave 1: cohort a (active) and cohort b (rolled back), 10 devices each; wave 2: 5 devices of b, none sent
        List<WaveCohortActions> cells = List.of(
                cell(1, "a", 10, Map.of(ActionState.SUCCEEDED, 4L, ActionState.FAILED, 1L, ActionState.RUNNING, 1L,
                        ActionState.CANCELED, 1L, ActionState.EXPIRED, 1L, ActionState.SCHEDULED, 1L,
                        ActionState.RETRIED, 2L, ActionState.CANCELING, 1L)),
                cell(1, "b", 10, Map.of(ActionState.SUCCEEDED, 3L, ActionState.FAILED, 2L, ActionState.CANCELED, 4L,
                        ActionState.CANCELING, 1L)),
                cell(2, "b", 5, Map.of()));

        Map<Integer, WaveCounts> counts = WaveCounts.perWave(cells, Set.of("b"));

        // a: 4 installed, 1 failed, 1 running, 1 canceling, 1 canceled, 1 expired, 1 pending (scheduled)
        // b: 3 rolled back, 2 failed, 1 canceling, 4 skipped (canceled by the rollback)
        assertThat(counts.get(1)).isEqualTo(new WaveCounts(4, 3, 3, 4, 1, 1, 1, 1, 2, 2, 0));
        assertThat(counts.get(2)).isEqualTo(new WaveCounts(0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0));
        WaveCounts wave1 = counts.get(1);
        assertThat(wave1.installed() + wave1.failed() + wave1.rolledBack() + wave1.skipped() + wave1.running()
                + wave1.canceling() + wave1.canceled() + wave1.expired() + wave1.pending()).isEqualTo(20);
    }

    @Test
    void given_no_cohort_rolled_back_then_nothing_is_rolled_back_or_skipped() {
        WaveCounts counts = WaveCounts.of(cell(1, "a", 3, Map.of(ActionState.SUCCEEDED, 1L)), false);

        assertThat(counts).isEqualTo(new WaveCounts(1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void given_devices_that_denied_their_install_then_they_are_denied_neither_pending_nor_failed() {
        WaveCounts counts = WaveCounts.of(cell(1, "a", 5, Map.of(ActionState.SUCCEEDED, 1L, ActionState.DENIED, 2L)),
                false);

        assertThat(counts).isEqualTo(new WaveCounts(1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2));
    }

    private static WaveCohortActions cell(int wave, String cohort, long devices, Map<ActionState, Long> actions) {
        Map<ActionState, Long> byState = new EnumMap<>(ActionState.class);
        byState.putAll(actions);
        return new WaveCohortActions(wave, cohort, devices, byState);
    }
}
