package io.updraft.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailureRuleTest {
    private final FleetScenario.FailureRule rule = new FleetScenario.FailureRule("gw-200", "1.2.0", 0.6);

    @Test
    void failsOnlyTheNamedModelAndVersion() {
        assertThat(IntStream.range(0, 25).filter(n -> rule.fails("gw-100", "1.2.0", n)).count()).isZero();
        assertThat(IntStream.range(0, 25).filter(n -> rule.fails("gw-200", "1.1.0", n)).count()).isZero();
    }

    @Test
    void spreadsFailuresEvenlySoAnyFirstFewDevicesFailInAboutTheShare() {
        // the first wave of a stratified rollout takes the lowest-numbered devices of each cohort
        assertThat(IntStream.range(0, 5).filter(n -> rule.fails("gw-200", "1.2.0", n)).count()).isEqualTo(3);
        assertThat(IntStream.range(0, 25).filter(n -> rule.fails("gw-200", "1.2.0", n)).count()).isBetween(14L, 16L);
    }

    @Test
    void readsTheGatewaysSleepFormat() {
        assertThat(SimulatedDevice.parseSleep("00:05:00")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SimulatedDevice.parseSleep("01:00:02")).isEqualTo(Duration.ofHours(1).plusSeconds(2));
    }
}
