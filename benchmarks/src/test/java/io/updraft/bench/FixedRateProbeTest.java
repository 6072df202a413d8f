package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FixedRateProbeTest {
    @Test
    void givenAnIndex_whenNumbered_thenItIsSevenDigitsZeroPaddedAsTheFleetLoaderNamesDevices() {
        assertThat(FixedRateProbe.deviceNumber(0)).isEqualTo("0000000");
        assertThat(FixedRateProbe.deviceNumber(42)).isEqualTo("0000042");
        assertThat(FixedRateProbe.deviceNumber(999_999)).isEqualTo("0999999");
        assertThat("bench-" + FixedRateProbe.deviceNumber(123_456)).isEqualTo(FleetLoader.deviceId(123_456));
    }
}
