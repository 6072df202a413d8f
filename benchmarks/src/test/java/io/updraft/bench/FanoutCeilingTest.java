package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FanoutCeilingTest {
    private static Map<String, OptionalDouble> cpu(double service, double postgres, double broker) {
        Map<String, OptionalDouble> seconds = new LinkedHashMap<>();
        seconds.put("svc", OptionalDouble.of(service));
        seconds.put("pg", OptionalDouble.of(postgres));
        seconds.put("broker", OptionalDouble.of(broker));
        return seconds;
    }

    @Test
    void perCommandSumsEachProcessOverThePeriods() {
        FanoutCeiling.PerCommand perCommand = FanoutCeiling.PerCommand.of(
                List.of(cpu(0.5, 6.0, 1.0), cpu(10.0, 11.0, 4.0)), "svc", "pg", "broker", 1_000_000).orElseThrow();

        assertThat(perCommand.service()).isCloseTo(10.5, within(1e-9));
        assertThat(perCommand.postgres()).isCloseTo(17.0, within(1e-9));
        assertThat(perCommand.broker()).isCloseTo(5.0, within(1e-9));
        assertThat(perCommand.total()).isCloseTo(32.5, within(1e-9));
    }

    @Test
    void aProcessNotMeasuredInAPeriodLeavesNoFigure() {
        Map<String, OptionalDouble> gone = cpu(1, 1, 1);
        gone.put("pg", OptionalDouble.empty());

        assertThat(FanoutCeiling.PerCommand.of(List.of(cpu(1, 1, 1), gone), "svc", "pg", "broker", 10)).isEmpty();
    }

    @Test
    void boundIsCoresOverCpuPerCommand() {
        assertThat(FanoutCeiling.bound(2, 20.0)).isCloseTo(100_000, within(1e-6));
        assertThat(FanoutCeiling.bound(2, 0)).isNaN();
    }

    @Test
    void eachDesignReplacesOnlyWhatItChanges() {
        FanoutCeiling.PerCommand measured = new FanoutCeiling.PerCommand(10.0, 17.0, 5.0);

        List<Figure> figures = FanoutCeiling.figures(2, measured, 3.0, 45_000, 100_000, "raw", 16.0);

        assertThat(figures).extracting(Figure::name).containsExactly(
                "fan-out CPU ceiling, this design (two rows per device)",
                "fan-out CPU ceiling, one durable row per device",
                "fan-out CPU ceiling, no row in PostgreSQL",
                "raw KafkaProducer CPU ceiling");
        assertThat(figures.get(0).value()).isCloseTo(2e6 / 32.0, within(1e-6)); // 62,500/s
        assertThat(figures.get(0).ratio()).isCloseTo(0.625, within(1e-9));
        assertThat(figures.get(0).note()).contains("72 % of this bound"); // 45,000 of 62,500
        assertThat(figures.get(1).value()).isCloseTo(2e6 / 18.0, within(1e-6)); // service + floor + broker
        assertThat(figures.get(2).value()).isCloseTo(2e6 / 15.0, within(1e-6));
        assertThat(figures.get(3).value()).isCloseTo(125_000, within(1e-6));
        assertThat(figures).allSatisfy(figure -> assertThat(figure.baseline()).isEqualTo(100_000));
    }

    @Test
    void aFloorNotMeasuredIsMissingNotGuessed() {
        List<Figure> figures = FanoutCeiling.figures(2, new FanoutCeiling.PerCommand(10, 17, 5), Double.NaN, 45_000,
                100_000, "raw", -1);

        assertThat(figures).hasSize(3);
        assertThat(figures.get(1).value()).isNull();
        assertThat(figures.get(1).note()).contains("not measured");
    }
}
