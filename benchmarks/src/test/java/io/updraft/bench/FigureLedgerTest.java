package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureLedgerTest {
    private static final Map<String, String> MACHINE = Map.of("cores", "2", "cpu", "AMD EPYC");

    @TempDir
    Path dir;

    @Test
    void givenAPartialRun_whenRecorded_thenOnlyItsFiguresChangeEachDatedByItsBenchmarksStart() throws Exception {
        Path json = dir.resolve("figures.json");
        Path md = dir.resolve("figures.md");
        FigureLedger first = FigureLedger.read(json);
        first.record(new ResultsReport("full", "2026-12-01T02:00:00Z", 600, MACHINE, List.of(
                BenchmarkResult.ok("CLI calls", "d", 60, List.of(
                        Figure.of("CLI release list", 1400, "ms").against(3000, "launcher")
                                .target(Figure.Target.atMost(300)))),
                BenchmarkResult.ok("rollout fan-out", "d", 300, List.of(
                        Figure.of("commands/s", 120_000, "commands/s"),
                        Figure.of("wave 1 cold", 1447, "ms"))))),
                Map.of("CLI calls", "0.50 / 0.40 / 0.30", "rollout fan-out", "1.00 / 0.90 / 0.80"), Map.of());
        first.write(json, md);

        FigureLedger second = FigureLedger.read(json);
        second.record(new ResultsReport("quick", "2026-12-06T04:00:00Z", 60, MACHINE, List.of(
                BenchmarkResult.ok("CLI calls", "d", 50, List.of(
                        Figure.of("CLI release list", 250, "ms").against(2900, "launcher")
                                .target(Figure.Target.atMost(300)))),
                BenchmarkResult.failed("rollout fan-out", "d", 10, "broker did not start", List.of(
                        Figure.missing("wave 1 cold", "ms", "not reached"))))),
                Map.of("CLI calls", "0.20 / 0.30 / 0.30"),
                Map.of("rollout fan-out", "2026-12-06T04:00:05Z", "CLI calls", "2026-12-06T04:00:10Z"));
        second.write(json, md);

        List<FigureLedger.Entry> entries = FigureLedger.read(json).entries();
        assertThat(entries).extracting(FigureLedger.Entry::figure, FigureLedger.Entry::value,
                FigureLedger.Entry::measuredAt, FigureLedger.Entry::load).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CLI release list", 250.0, "2026-12-06T04:00:10Z",
                                "0.20 / 0.30 / 0.30"),
                        org.assertj.core.groups.Tuple.tuple("commands/s", 120_000.0, "2026-12-01T02:00:00Z",
                                "1.00 / 0.90 / 0.80"),
                        org.assertj.core.groups.Tuple.tuple("wave 1 cold", 1447.0, "2026-12-01T02:00:00Z",
                                "1.00 / 0.90 / 0.80"));
        assertThat(entries.get(0).met()).isTrue();
        assertThat(FigureLedger.read(json).failures()).extracting(FigureLedger.Failure::benchmark,
                FigureLedger.Failure::error).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rollout fan-out", "broker did not start"));

        String table = Files.readString(md);
        assertThat(table).contains("| CLI release list | 250 ms | 2,900 ms (launcher) | 8.6 % | <= 300 ms ✔ | "
                + "2026-12-06T04:00:10Z quick")
                .contains("Last run (quick, 2026-12-06T04:00:05Z) **failed**: broker did not start")
                .contains("| wave 1 cold | 1,447 ms |");
    }

    @Test
    void givenAFailedBenchmarkThatLaterPasses_whenRecorded_thenItsFailureNoteGoes() {
        FigureLedger ledger = new FigureLedger();
        ledger.record(new ResultsReport("quick", "t1", 1, MACHINE, List.of(
                BenchmarkResult.failed("CLI calls", "d", 1, "no jar", List.of()))), Map.of(), Map.of());
        assertThat(ledger.markdown()).contains("Failed without figures", "CLI calls (quick, t1): no jar");
        ledger.record(new ResultsReport("quick", "t2", 1, MACHINE, List.of(
                BenchmarkResult.ok("CLI calls", "d", 1, List.of(Figure.of("x", 1, "ms"))))), Map.of(), Map.of());
        assertThat(ledger.failures()).isEmpty();
        assertThat(ledger.markdown()).doesNotContain("failed").contains("| x | 1 ms |");
    }
}
