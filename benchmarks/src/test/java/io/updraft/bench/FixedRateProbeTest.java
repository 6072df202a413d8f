package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FixedRateProbeTest {
    @Test
    void givenAnIndex_whenNumbered_thenItIsSevenDigitsZeroPaddedAsTheFleetLoaderNamesDevices() {
        assertThat(FixedRateProbe.deviceNumber(0)).isEqualTo("0000000");
        assertThat(FixedRateProbe.deviceNumber(42)).isEqualTo("0000042");
        assertThat(FixedRateProbe.deviceNumber(999_999)).isEqualTo("0999999");
        assertThat("bench-" + FixedRateProbe.deviceNumber(123_456)).isEqualTo(FleetLoader.deviceId(123_456));
    }

    @Test
    void givenAResultPrintedByTheProbeJvm_whenParsedAmongItsOtherOutput_thenEveryFigureAndStallIsBack() {
        FixedRateProbe.Result printed = new FixedRateProbe.Result(110_000, 109_998, 2, 1.234567, 19.5, 44.25, 101.0,
                4999.87, 3.5, 256, 1, List.of("stall at 01:02:03.456 UTC (+1.000 s): 12 slow polls", "stall two"));
        List<String> output = new ArrayList<>(List.of("01:02:03 INFO vert.x started"));
        output.addAll(printed.lines());

        assertThat(FixedRateProbe.Result.parse(output)).isEqualTo(printed);
    }

    @Test
    void givenNoResultLine_whenParsed_thenTheProbeJvmsOutputIsInTheError() {
        assertThatThrownBy(() -> FixedRateProbe.Result.parse(List.of("Error: Could not find or load main class")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Could not find or load main class");
    }
}
