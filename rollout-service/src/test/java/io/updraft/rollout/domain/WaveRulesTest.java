package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.rollout.domain.WaveJudge.Verdict;
import io.updraft.rollout.domain.WaveJudge.WaveProgress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-wave thresholds, the error action, and how a soaked wave is judged with them. */
class WaveRulesTest {

    @Test
    void given_a_wave_with_its_own_rules_then_they_win_over_the_rollouts_and_the_rest_is_inherited() {
        WaveRules own = new WaveRules(0.9, null, ErrorAction.ABORT);

        assertThat(own.orElse(1.0, 0.5, ErrorAction.PAUSE)).isEqualTo(new WaveRules(0.9, 0.5, ErrorAction.ABORT));
        assertThat(WaveRules.NONE.orElse(1.0, 0.5, ErrorAction.PAUSE))
                .isEqualTo(new WaveRules(1.0, 0.5, ErrorAction.PAUSE));
        assertThatThrownBy(() -> new WaveRules(1.5, null, null)).hasMessageContaining("successThreshold");
        assertThatThrownBy(() -> new WaveRules(null, -0.1, null)).hasMessageContaining("errorThreshold");
        assertThatThrownBy(() -> new WaveRules(null, Double.NaN, null)).hasMessageContaining("errorThreshold");
    }

    @Test
    void given_a_schedule_then_with_defaults_resolves_every_wave() {
        WaveSchedule schedule = new WaveSchedule(List.of(10, 100),
                List.of(), List.of(new WaveRules(null, 0.05, ErrorAction.ABORT), WaveRules.NONE))
                .withDefaults(0.8, 0.3, ErrorAction.PAUSE);

        assertThat(schedule.rules(1)).isEqualTo(new WaveRules(0.8, 0.05, ErrorAction.ABORT));
        assertThat(schedule.rules(2)).isEqualTo(new WaveRules(0.8, 0.3, ErrorAction.PAUSE));
        assertThat(schedule.percents()).containsExactly(10, 100);
    }

    @Test
    void given_a_soaked_wave_failing_above_its_threshold_then_its_error_action_decides() {
        WaveProgress progress = new WaveProgress(10, 6, 4, 0, 0); // 4 of 10 judged failed: 0.4

        assertThat(WaveJudge.afterSoak(progress, 0.3, 3, false, ErrorAction.ABORT)).isEqualTo(Verdict.ABORT);
        assertThat(WaveJudge.afterSoak(progress, 0.3, 3, false, ErrorAction.PAUSE)).isEqualTo(Verdict.PAUSE);
        assertThat(WaveJudge.afterSoak(progress, 0.3, 3, false)).isEqualTo(Verdict.PAUSE);
        // a looser threshold of the wave lets it advance; exactly at the threshold is not above it
        assertThat(WaveJudge.afterSoak(progress, 0.5, 3, false, ErrorAction.ABORT)).isEqualTo(Verdict.ADVANCE);
        assertThat(WaveJudge.afterSoak(progress, 0.4, 3, false, ErrorAction.ABORT)).isEqualTo(Verdict.ADVANCE);
        // too few judged devices, or failures the operator accepted by resuming: never abort
        assertThat(WaveJudge.afterSoak(new WaveProgress(10, 0, 2, 0, 0), 0.1, 3, false, ErrorAction.ABORT))
                .isEqualTo(Verdict.ADVANCE);
        assertThat(WaveJudge.afterSoak(progress, 0.3, 3, true, ErrorAction.ABORT)).isEqualTo(Verdict.ADVANCE);
    }

    @Test
    void given_pending_canceled_and_expired_devices_then_the_failure_ratio_counts_only_judged_ones() {
        assertThat(WaveJudge.failureRatio(new WaveProgress(20, 3, 1, 5, 6))).isEqualTo(0.25);
        assertThat(WaveJudge.failureRatio(new WaveProgress(20, 0, 0, 5, 6))).isZero();
    }
}
