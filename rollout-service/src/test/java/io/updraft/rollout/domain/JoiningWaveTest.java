package io.updraft.rollout.domain;

import static io.updraft.rollout.domain.WaveState.DONE;
import static io.updraft.rollout.domain.WaveState.PENDING;
import static io.updraft.rollout.domain.WaveState.RUNNING;
import static io.updraft.rollout.domain.WaveState.SKIPPED;
import static io.updraft.rollout.domain.WaveState.SOAKING;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.rollout.domain.JoiningWave.Join;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JoiningWaveTest {

    @Test
    void given_a_running_wave_then_a_late_device_joins_it_and_is_sent_its_install() {
        assertThat(JoiningWave.choose(RolloutState.RUNNING, 1, List.of(RUNNING, PENDING)))
                .contains(new Join(1, true));
    }

    @Test
    void given_a_wave_not_started_yet_then_the_device_joins_it_and_waits_for_it() {
        assertThat(JoiningWave.choose(RolloutState.SCHEDULED, 1, List.of(PENDING, PENDING)))
                .contains(new Join(1, false));
        assertThat(JoiningWave.choose(RolloutState.WAITING_FOR_APPROVAL, 2, List.of(DONE, PENDING)))
                .contains(new Join(2, false));
        assertThat(JoiningWave.choose(RolloutState.PAUSED, 2, List.of(DONE, PENDING)))
                .contains(new Join(2, false));
    }

    @Test
    void given_a_soaking_or_paused_wave_then_the_device_joins_the_next_wave_not_started() {
        assertThat(JoiningWave.choose(RolloutState.RUNNING, 1, List.of(SOAKING, SKIPPED, PENDING)))
                .contains(new Join(3, false));
        assertThat(JoiningWave.choose(RolloutState.PAUSED, 1, List.of(RUNNING, PENDING)))
                .contains(new Join(2, false));
    }

    @Test
    void given_the_last_wave_then_it_takes_late_devices_while_running_or_soaking_but_not_while_paused() {
        assertThat(JoiningWave.choose(RolloutState.RUNNING, 2, List.of(DONE, SOAKING))).contains(new Join(2, true));
        assertThat(JoiningWave.choose(RolloutState.RUNNING, 2, List.of(DONE, RUNNING))).contains(new Join(2, true));
        assertThat(JoiningWave.choose(RolloutState.PAUSED, 2, List.of(DONE, SOAKING))).isEmpty();
        assertThat(JoiningWave.choose(RolloutState.PAUSED, 2, List.of(DONE, RUNNING))).isEmpty();
    }

    @Test
    void given_a_finished_rollout_then_nobody_joins() {
        assertThat(JoiningWave.choose(RolloutState.COMPLETED, 2, List.of(DONE, DONE))).isEqualTo(Optional.empty());
        assertThat(JoiningWave.choose(RolloutState.ABORTED, 1, List.of(RUNNING, PENDING))).isEmpty();
    }
}
