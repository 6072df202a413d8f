package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.rollout.domain.WaveJudge.Verdict;
import io.updraft.rollout.domain.WaveJudge.WaveProgress;
import org.junit.jupiter.api.Test;

class WaveJudgeTest {

    @Test
    void given_a_running_wave_with_failures_when_judged_then_it_does_not_pause_before_its_soak() {
        // telemetry may still roll back the failing cohort: a mid-wave pause would preempt the finer brake
        assertThat(WaveJudge.whileRunning(new WaveProgress(10, 1, 2, 0, 0), 1.0)).isEqualTo(Verdict.WAIT);
        assertThat(WaveJudge.whileRunning(new WaveProgress(3, 0, 3, 0, 0), 1.0)).isEqualTo(Verdict.SOAK);
    }

    @Test
    void given_enough_finished_devices_when_judged_then_the_wave_soaks() {
        assertThat(WaveJudge.whileRunning(new WaveProgress(10, 7, 1, 0, 0), 0.8)).isEqualTo(Verdict.SOAK);
        assertThat(WaveJudge.whileRunning(new WaveProgress(10, 6, 1, 0, 0), 0.8)).isEqualTo(Verdict.WAIT);
    }

    @Test
    void given_canceled_devices_when_judged_then_they_count_as_finished_but_not_as_failures() {
        assertThat(WaveJudge.whileRunning(new WaveProgress(4, 1, 0, 3, 0), 1.0)).isEqualTo(Verdict.SOAK);
        assertThat(WaveJudge.afterSoak(new WaveProgress(4, 1, 0, 3, 0), 0.5, 1, false)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_a_wave_without_active_devices_when_judged_then_it_soaks_and_advances() {
        assertThat(WaveJudge.whileRunning(new WaveProgress(0, 0, 0, 0, 0), 1.0)).isEqualTo(Verdict.SOAK);
        assertThat(WaveJudge.afterSoak(new WaveProgress(0, 0, 0, 0, 0), 0.5, 3, false)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_a_soaked_wave_failing_above_threshold_with_enough_samples_then_the_rollout_pauses() {
        assertThat(WaveJudge.afterSoak(new WaveProgress(10, 4, 6, 0, 0), 0.5, 3, false)).isEqualTo(Verdict.PAUSE);
    }

    @Test
    void given_a_soaked_wave_exactly_at_threshold_then_it_advances() {
        assertThat(WaveJudge.afterSoak(new WaveProgress(10, 5, 5, 0, 0), 0.5, 3, false)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_a_wave_smaller_than_the_error_sample_when_all_of_it_failed_then_it_pauses_not_advances() {
        // 2 devices, a sample of 5: judged on all of them
        assertThat(WaveJudge.afterSoak(new WaveProgress(2, 0, 2, 0, 0), 0.5, 5, false)).isEqualTo(Verdict.PAUSE);
        assertThat(WaveJudge.afterSoak(new WaveProgress(2, 0, 1, 1, 0), 0.5, 5, false)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_failures_above_threshold_but_too_few_samples_then_it_advances() {
        assertThat(WaveJudge.afterSoak(new WaveProgress(10, 0, 2, 8, 0), 0.5, 3, false)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_failures_accepted_by_the_operator_then_the_wave_advances() {
        assertThat(WaveJudge.afterSoak(new WaveProgress(3, 0, 3, 0, 0), 0.5, 3, true)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_expired_actions_then_they_count_as_finished_like_canceled_not_as_failed() {
        assertThat(WaveJudge.whileRunning(new WaveProgress(4, 1, 0, 1, 2), 1.0)).isEqualTo(Verdict.SOAK);
        assertThat(WaveJudge.whileRunning(new WaveProgress(4, 1, 0, 0, 2), 1.0)).isEqualTo(Verdict.WAIT);
        assertThat(WaveJudge.afterSoak(new WaveProgress(4, 1, 0, 0, 3), 0.5, 1, false)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_a_timed_out_wave_then_it_soaks_and_its_pending_devices_count_neither_as_failed_nor_finished() {
        WaveProgress mostlyOffline = new WaveProgress(10, 3, 1, 0, 0);
        assertThat(WaveJudge.whileRunning(mostlyOffline, 1.0)).isEqualTo(Verdict.WAIT);
        assertThat(WaveJudge.atTimeout(mostlyOffline)).isEqualTo(Verdict.SOAK);
        // 1 failure out of 4 finished: below the 0.5 error threshold whatever the 6 offline devices do later
        assertThat(WaveJudge.afterSoak(mostlyOffline, 0.5, 3, false)).isEqualTo(Verdict.ADVANCE);
        assertThat(WaveJudge.afterSoak(new WaveProgress(10, 1, 3, 0, 0), 0.5, 3, false)).isEqualTo(Verdict.PAUSE);
    }
}
