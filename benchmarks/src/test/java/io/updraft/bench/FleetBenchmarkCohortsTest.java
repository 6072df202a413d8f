package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.fleet.FleetScenario.HardwareMix;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetBenchmarkCohortsTest {

    @Test
    void failing_models_are_distinct_and_start_with_the_historic_bad_model() {
        assertThat(FleetBenchmark.badModels(4)).containsExactly("gw-200", "gw-210", "gw-220", "gw-230");
        assertThat(FleetBenchmark.badModels(1)).containsExactly(FleetBenchmark.BAD_MODEL);
    }

    @Test
    void the_bad_quarter_is_split_over_the_models_without_losing_a_device() {
        List<HardwareMix> mixes = FleetBenchmark.split(FleetBenchmark.badModels(4), "1.0", 2_501);
        assertThat(mixes).extracting(HardwareMix::count).containsExactly(626, 625, 625, 625);
        assertThat(mixes).extracting(HardwareMix::revision).containsOnly("1.0");
        assertThat(mixes.stream().mapToInt(HardwareMix::count).sum()).isEqualTo(2_501);
    }

    @Test
    void statements_are_shown_on_one_line_and_cut_at_140_characters() {
        assertThat(StatementProfile.abbreviate("select 1\n  from   t")).isEqualTo("select 1 from t");
        String cut = StatementProfile.abbreviate("x".repeat(300));
        assertThat(cut).hasSize(140).endsWith("...");
    }
}
