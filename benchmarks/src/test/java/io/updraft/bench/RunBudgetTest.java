package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunBudgetTest {

    @Test
    void theQuickBudgetsOfAllBenchmarksAddUpToTenMinutesAtMost() {
        assertThat(RunBudget.QUICK_TOTAL_SECONDS).isEqualTo(600);
        assertThat(RunBudget.QUICK.values().stream().mapToInt(Integer::intValue).sum())
                .isLessThanOrEqualTo(RunBudget.QUICK_TOTAL_SECONDS);
        // every benchmark --only names, plus the shared stack's start
        assertThat(RunBudget.QUICK).hasSize(BenchSuite.BENCHMARKS.size() + 1).containsKey(RunBudget.STACK);
    }

    @Test
    void givenAQuickRun_whenTabled_thenEachRowHasItsBudgetAndOnlyTheOnesOverItAreMarked() {
        List<String> lines = RunBudget.table(List.of(new RunBudget.Row("gateway poll", 161.4),
                new RunBudget.Row("CLI calls", 12), new RunBudget.Row("something new", 3)), true, 612.2);

        assertThat(lines.get(0)).contains("--quick budget 600 s");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("150 s", "161 s", "gateway poll",
                "over budget by 11 s"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("30 s", "12 s", "CLI calls")
                .doesNotContain("over"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("—", "3 s", "something new")
                .doesNotContain("over"));
        assertThat(lines.get(lines.size() - 1)).contains("600 s", "612 s", "10 min 12 s", "over budget by 12 s");
    }

    @Test
    void givenAFullRun_whenTabled_thenWallTimesWithoutBudgets() {
        List<String> lines = RunBudget.table(List.of(new RunBudget.Row("gateway poll", 400)), false, 2_500);

        assertThat(lines.get(0)).contains("full run, no budget");
        assertThat(lines.get(2)).contains("—", "400 s", "gateway poll").doesNotContain("over");
        assertThat(lines.get(3)).contains("—", "2500 s", "41 min 40 s").doesNotContain("over");
    }

    @Test
    void theEndToEndFleetPollsAboutAThousandTimesASecondAndAtLeastEveryTwoSeconds() {
        assertThat(FleetBenchmark.pollInterval(100_000)).isEqualTo(100); // the full run's, as before
        assertThat(FleetBenchmark.pollInterval(10_000)).isEqualTo(10);
        assertThat(FleetBenchmark.pollInterval(2_000)).isEqualTo(2);
        assertThat(FleetBenchmark.pollInterval(1_000)).isEqualTo(2); // --quick
        assertThat(FleetBenchmark.pollInterval(500)).isEqualTo(2);
    }

    @Test
    void theSharedStackHasWhatTheEndToEndAndDeltaBenchmarksNeed() {
        assertThat(SharedLocalStack.tuning(2)).containsEntry("updraft.gateway.polling.interval", "PT2S")
                .containsEntry("updraft.gateway.polling.active-interval", "PT2S")
                .containsEntry("updraft.telemetry.window", "2s")
                .containsEntry("updraft.gateway.artifacts.max-ranges", "200");
    }
}
