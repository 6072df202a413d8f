package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.rollout.domain.WaveJudge.Verdict;
import io.updraft.rollout.domain.WaveJudge.WaveProgress;
import org.junit.jupiter.api.Test;

class WaveJudgeTest {

    @Test
    void given_failures_above_threshold_with_enough_samples_when_judged_then_the_rollout_pauses() {
        assertThat(WaveJudge.judge(new WaveProgress(10, 1, 2, 0), 0.5, 3, 1.0, false, true)).isEqualTo(Verdict.PAUSE);
    }

    @Test
    void given_failures_above_threshold_but_too_few_samples_when_judged_then_it_waits() {
        assertThat(WaveJudge.judge(new WaveProgress(10, 0, 2, 0), 0.5, 3, 1.0, false, true)).isEqualTo(Verdict.WAIT);
    }

    @Test
    void given_failures_accepted_by_the_operator_when_judged_then_only_progress_counts() {
        assertThat(WaveJudge.judge(new WaveProgress(3, 0, 3, 0), 0.5, 3, 1.0, true, true)).isEqualTo(Verdict.SOAK);
    }

    @Test
    void given_enough_finished_devices_when_judged_then_the_wave_soaks() {
        assertThat(WaveJudge.judge(new WaveProgress(10, 7, 1, 0), 0.5, 3, 0.8, false, true)).isEqualTo(Verdict.SOAK);
        assertThat(WaveJudge.judge(new WaveProgress(10, 6, 1, 0), 0.5, 3, 0.8, false, true)).isEqualTo(Verdict.WAIT);
    }

    @Test
    void given_canceled_devices_when_judged_then_they_count_as_finished_but_not_as_failures() {
        assertThat(WaveJudge.judge(new WaveProgress(4, 1, 0, 3), 0.5, 3, 1.0, false, true)).isEqualTo(Verdict.SOAK);
    }

    @Test
    void given_a_wave_without_active_devices_when_judged_then_it_soaks() {
        assertThat(WaveJudge.judge(new WaveProgress(0, 0, 0, 0), 0.5, 3, 1.0, false, true)).isEqualTo(Verdict.SOAK);
    }

    @Test
    void given_a_soaking_wave_when_judged_then_failures_still_pause_it_but_progress_does_not_restart_the_soak() {
        assertThat(WaveJudge.judge(new WaveProgress(4, 1, 3, 0), 0.5, 3, 1.0, false, false)).isEqualTo(Verdict.PAUSE);
        assertThat(WaveJudge.judge(new WaveProgress(4, 4, 0, 0), 0.5, 3, 1.0, false, false)).isEqualTo(Verdict.WAIT);
    }
}
