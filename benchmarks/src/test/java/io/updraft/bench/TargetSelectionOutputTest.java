package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetSelectionOutputTest {
    /** What TargetSelectionBenchmark prints, among Flyway's log lines. */
    private static final String OUTPUT = """
            18:40:02.113 INFO  [org.fly.cor.FlywayExecutor] Database: jdbc:postgresql://127.0.0.1:24117/selection_bench_1
            updraft_version_key alone: 3.41 µs per version
            insert 1,000,000 devices: 9,812 ms without version_key, 13,204 ms with it (+3.39 µs per device)
            select version < "2.0.0"                                                   666,667 of 1,000,000 devices in    391 ms
            select version < "2.0.0"                                                   666,667 of 1,000,000 devices in    223 ms
            select memory >= 1024 and not region == "apac"                                 333,334 of 1,000,000 devices in  1,104 ms
            benchmark finished
            """;

    @Test
    void readsTheVersionKeyTheInsertsAndEverySelectionsLastRun() {
        TargetSelectionOutput parsed = TargetSelectionOutput.parse(OUTPUT);

        assertThat(parsed.versionKeyMicros()).contains(3.41);
        assertThat(parsed.insert()).contains(new TargetSelectionOutput.Insert(1_000_000, 9_812, 13_204));
        assertThat(parsed.selections()).containsExactly(
                new TargetSelectionOutput.Selection("version < \"2.0.0\"", 666_667, 1_000_000, 223, 391.0),
                new TargetSelectionOutput.Selection("memory >= 1024 and not region == \"apac\"", 333_334, 1_000_000,
                        1_104, null));
    }

    @Test
    void missingFiguresStayMissing() {
        TargetSelectionOutput parsed = TargetSelectionOutput.parse("Exception in thread \"main\" java.sql.SQLException");

        assertThat(parsed.versionKeyMicros()).isEmpty();
        assertThat(parsed.insert()).isEmpty();
        assertThat(parsed.selections()).isEmpty();
    }
}
