package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopologyBenchmarkOutputTest {
    /** What TopologyBenchmark printed inside Maven's and Kafka's log lines (until 2026-12-05 it ran in Surefire). */
    private static final String OUTPUT = """
            [INFO] Running io.updraft.telemetry.streams.TopologyBenchmark
            18:02:11.120 INFO  [org.apa.kaf.cli.con.ConsumerConfig] ConsumerConfig values: ...

            benchmark: 202000 HealthReported for 2000 devices on 2 cores (machine shared), 1 stream thread(s)
            plain KafkaConsumer (read + parse):       99,861 events/s
            18:02:19.003 INFO  [org.apa.kaf.str.KafkaStreams] stream-client [bench-1] State transition to RUNNING
            health topology (exactly-once):           14,138 events/s  = 14 % of plain
            detection latency over 50/50 trials: p50 227 ms, p99 612 ms, max 640 ms
            [INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0
            """;

    @Test
    void readsThroughputOfBothAndTheLatencyPercentiles() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse(OUTPUT);

        assertThat(parsed.plainConsumerPerSecond()).contains(99_861.0);
        assertThat(parsed.topologyPerSecond()).contains(14_138.0);
        assertThat(parsed.detection()).hasValueSatisfying(latency -> {
            assertThat(latency.trials()).isEqualTo(50);
            assertThat(latency.planned()).isEqualTo(50);
            assertThat(latency.p50()).isEqualTo(227);
            assertThat(latency.p99()).isEqualTo(612);
            assertThat(latency.max()).isEqualTo(640);
        });
        assertThat(parsed.noTrigger()).isFalse();
    }

    @Test
    void readsTheCpuPerEventFiguresWhenPrinted() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("""
                plain KafkaConsumer (read + parse):       99,861 events/s    12.3 µs CPU/event (consuming thread)
                health topology (exactly-once):           14,138 events/s    61.0 µs CPU/event (stream threads; 80.2 with producer, admin and state threads)
                ratio topology / plain:                      14 %  (target >= 50 %)
                """);

        assertThat(parsed.plainConsumerPerSecond()).contains(99_861.0);
        assertThat(parsed.topologyPerSecond()).contains(14_138.0);
        assertThat(parsed.plainCpuMicrosPerEvent()).contains(12.3);
        assertThat(parsed.topologyCpuMicrosPerEvent()).contains(61.0);
        assertThat(TopologyBenchmarkOutput.parse(OUTPUT).plainCpuMicrosPerEvent()).isEmpty();
    }

    @Test
    void readsTheParseOnlyExactlyOnceFloor() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("""
                plain KafkaConsumer (read + parse):      275,726 events/s     1.4 µs CPU/event (consuming thread)
                Kafka Streams exactly_once_v2 parse only:    120,642 events/s     2.2 µs CPU/event (stream threads)
                Kafka Streams at_least_once  parse only:    118,653 events/s     2.0 µs CPU/event (stream threads)
                health topology (exactly-once):          50,114 events/s     4.8 µs CPU/event (stream threads)
                """);

        assertThat(parsed.exactlyOnceFloorPerSecond()).contains(120_642.0);
        assertThat(parsed.topologyPerSecond()).contains(50_114.0);
        assertThat(parsed.plainConsumerPerSecond()).contains(275_726.0);
        assertThat(TopologyBenchmarkOutput.parse(OUTPUT).exactlyOnceFloorPerSecond()).isEmpty();
    }

    @Test
    void readsTheMedianRoundPrintedAfterTheRoundsAndTheShapeFloor() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("""
                round 1:
                plain KafkaConsumer (read + parse):      582,839 events/s     1.3 µs CPU/event (consuming thread); broker 0.9 µs CPU/event
                Kafka Streams exactly_once_v2 parse only:    370,395 events/s     2.0 µs CPU/event (stream threads; 2.1 all its threads)
                Kafka Streams service-shape  parse only:    286,962 events/s     2.1 µs CPU/event (stream threads; 2.4 all its threads)
                health topology (exactly-once):         183,705 events/s     2.7 µs CPU/event (stream threads; 3.1 with producer)
                detection latency over 50/50 trials: p50 231 ms, p99 254 ms, max 254 ms
                median round (by topology / plain) of 3: round 2
                plain KafkaConsumer (read + parse):      610,265 events/s     1.2 µs CPU/event (consuming thread)
                Kafka Streams exactly_once_v2 parse only:    362,219 events/s     2.0 µs CPU/event (stream threads); 59 % of plain
                Kafka Streams at_least_once  parse only:    402,000 events/s     1.9 µs CPU/event (stream threads); 66 % of plain
                Kafka Streams service-shape  parse only:    276,000 events/s     2.2 µs CPU/event (stream threads); 45 % of plain
                health topology (exactly-once):         198,836 events/s     3.3 µs CPU/event (stream threads)
                ratio topology / plain:                      33 %  (target >= 50 %; every round: 30 %, 33 %, 37 %)
                """);

        assertThat(parsed.plainConsumerPerSecond()).contains(610_265.0);
        assertThat(parsed.plainCpuMicrosPerEvent()).contains(1.2);
        assertThat(parsed.exactlyOnceFloorPerSecond()).contains(362_219.0);
        assertThat(parsed.shapeFloorPerSecond()).contains(276_000.0);
        assertThat(parsed.topologyPerSecond()).contains(198_836.0);
        assertThat(parsed.topologyCpuMicrosPerEvent()).contains(3.3);
        assertThat(parsed.detection()).hasValueSatisfying(latency -> assertThat(latency.p99()).isEqualTo(254));
        assertThat(TopologyBenchmarkOutput.parse(OUTPUT).shapeFloorPerSecond()).isEmpty();
    }

    @Test
    void toleratesDecimalsSpacingAndCaseChanges() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("""
                Plain KafkaConsumer (read+parse): 1,234.5 events/s
                Health Topology (exactly-once, 2 threads): 987.25 events/s
                Detection latency over 9/10 trials: p50: 1,204 ms, p99=2,950.5 ms
                """);

        assertThat(parsed.plainConsumerPerSecond()).contains(1234.5);
        assertThat(parsed.topologyPerSecond()).contains(987.25);
        assertThat(parsed.detection()).hasValueSatisfying(latency -> {
            assertThat(latency.trials()).isEqualTo(9);
            assertThat(latency.planned()).isEqualTo(10);
            assertThat(latency.p50()).isEqualTo(1204);
            assertThat(latency.p99()).isEqualTo(2950.5);
            assertThat(latency.max()).as("no max printed: the p99 is the best bound").isEqualTo(2950.5);
        });
    }

    @Test
    void aMissingOrFailedFigureStaysMissing() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("""
                plain KafkaConsumer (read + parse):       99,861 events/s
                detection latency: no trigger received
                [ERROR] Tests run: 1, Failures: 0, Errors: 1
                """);

        assertThat(parsed.plainConsumerPerSecond()).contains(99_861.0);
        assertThat(parsed.topologyPerSecond()).isEmpty();
        assertThat(parsed.detection()).isEmpty();
        assertThat(parsed.noTrigger()).isTrue();
    }

    @Test
    void nothingUsefulGivesNothing() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("[ERROR] COMPILATION ERROR");

        assertThat(parsed.plainConsumerPerSecond()).isEmpty();
        assertThat(parsed.topologyPerSecond()).isEmpty();
        assertThat(parsed.detection()).isEmpty();
    }

    @Test
    void readsTheAtLeastOnceTopologyApartFromTheExactlyOnceOne() {
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse("""
                plain KafkaConsumer (read + parse):      700,000 events/s    1.1 µs CPU/event (consuming thread)
                Kafka Streams at_least_once  parse only:    600,000 events/s    1.2 µs CPU/event (stream threads)
                health topology (at-least-once):        450,000 events/s    2.0 µs CPU/event (stream threads)
                health topology (exactly-once):         200,000 events/s    3.0 µs CPU/event (stream threads)
                health topology (at-least-once):        440,000 events/s; 63 % of plain (target >= 60 %)
                """);

        assertThat(parsed.topologyPerSecond()).contains(200_000.0);
        assertThat(parsed.topologyCpuMicrosPerEvent()).contains(3.0);
        assertThat(parsed.atLeastOncePerSecond()).contains(440_000.0);
        assertThat(parsed.atLeastOnceFloorPerSecond()).contains(600_000.0);
    }
}
