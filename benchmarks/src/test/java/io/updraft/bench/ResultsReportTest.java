package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.bench.Figure.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchmarkResult fanout = BenchmarkResult.ok("rollout fan-out", "1M devices", 42.0, List.of(
            Figure.of("commands/s end to end", 50_000, "commands/s").against(200_000, "raw KafkaProducer")
                    .target(Target.atLeast(100_000)),
            Figure.of("share of the raw producer", 25, "%").target(Target.atLeast(30)),
            Figure.of("rollout-service peak heap", 612.4, "MB").target(Target.atMost(1024)).note("-Xmx1g")));
    private final BenchmarkResult poll = BenchmarkResult.ok("gateway poll", "polls", 10, List.of(
            Figure.of("gateway polls/s", 17_891, "polls/s").against(40_073, "bare | endpoint")
                    .target(Target.ratioAtLeast(50))));
    private final BenchmarkResult e2e = BenchmarkResult.failed("end to end", "fleet", 300, "inventory did not fill",
            List.of(Figure.missing("detection latency", "ms", "no RollbackTriggered seen")));
    private final ResultsReport report = new ResultsReport("quick", "2026-11-27T19:00:00Z", 512.3,
            Map.of("cores", "2", "memory", "24 GB"), List.of(poll, fanout, e2e));

    @Test
    void jsonHoldsEveryFigureWithUnitBaselineRatioTargetAndVerdict() throws Exception {
        JsonNode root = JSON.readTree(report.json());

        assertThat(root.path("mode").asText()).isEqualTo("quick");
        assertThat(root.path("elapsedSeconds").asDouble()).isEqualTo(512.3);
        assertThat(root.path("machine").path("cores").asText()).isEqualTo("2");
        JsonNode commands = root.path("benchmarks").path(1).path("figures").path(0);
        assertThat(commands.path("value").asDouble()).isEqualTo(50_000);
        assertThat(commands.path("unit").asText()).isEqualTo("commands/s");
        assertThat(commands.path("baseline").asDouble()).isEqualTo(200_000);
        assertThat(commands.path("baselineName").asText()).isEqualTo("raw KafkaProducer");
        assertThat(commands.path("ratio").asDouble()).isEqualTo(0.25);
        assertThat(commands.path("target").path("comparison").asText()).isEqualTo(">=");
        assertThat(commands.path("target").path("limit").asDouble()).isEqualTo(100_000);
        assertThat(commands.path("target").path("text").asText()).isEqualTo(">= 100,000 commands/s");
        assertThat(commands.path("met").asBoolean()).isFalse();
        JsonNode heap = root.path("benchmarks").path(1).path("figures").path(2);
        assertThat(heap.path("met").asBoolean()).isTrue();
        assertThat(heap.path("baseline").isNull()).isTrue();
        assertThat(heap.path("ratio").isNull()).isTrue();
        JsonNode polls = root.path("benchmarks").path(0).path("figures").path(0);
        assertThat(polls.path("target").path("on").asText()).isEqualTo("ratioPercent");
        assertThat(polls.path("met").asBoolean()).as("17,891 / 40,073 = 44.6 %% < 50 %%").isFalse();
    }

    @Test
    void aFailedBenchmarkIsMarkedWithItsReasonAndItsMissingFiguresHaveNoValue() throws Exception {
        JsonNode failed = JSON.readTree(report.json()).path("benchmarks").path(2);

        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).isEqualTo("inventory did not fill");
        JsonNode latency = failed.path("figures").path(0);
        assertThat(latency.path("value").isNull()).isTrue();
        assertThat(latency.path("met").isNull()).isTrue();
        assertThat(latency.path("note").asText()).isEqualTo("no RollbackTriggered seen");
    }

    @Test
    void markdownIsOneTableWithValueBaselineRatioAndTarget() {
        String md = report.markdown();

        assertThat(md).contains("| figure | value | baseline | ratio | target |\n|---|---|---|---|---|\n");
        assertThat(md).contains("| commands/s end to end | 50,000 commands/s | 200,000 commands/s (raw KafkaProducer)"
                + " | 25.0 % | >= 100,000 commands/s ✘ |");
        assertThat(md).contains("| rollout-service peak heap | 612 MB |  |  | <= 1,024 MB ✔ |");
        assertThat(md).contains("| gateway polls/s | 17,891 polls/s | 40,073 polls/s (bare \\| endpoint) | 44.6 % | "
                + ">= 50 % of baseline ✘ |");
        assertThat(md).contains("| **end to end** — **failed**: inventory did not fill | | | | |");
        assertThat(md).contains("| detection latency | not measured: no RollbackTriggered seen |  |  |  |");
        long tableRows = md.lines().filter(line -> line.startsWith("|")).count();
        assertThat(tableRows).isEqualTo(2 + 3 + 5); // header + separator, one row per benchmark, one per figure
        md.lines().filter(line -> line.startsWith("|"))
                .forEach(line -> assertThat(line.replace("\\|", "").chars().filter(c -> c == '|').count())
                        .as(line).isEqualTo(6));
    }

    @Test
    void writesBothFiles(@TempDir Path dir) throws Exception {
        report.writeTo(dir.resolve("bench"));

        assertThat(JSON.readTree(Files.readString(dir.resolve("bench/results.json"))).path("benchmarks").size())
                .isEqualTo(3);
        assertThat(Files.readString(dir.resolve("bench/results.md"))).startsWith("# Updraft benchmarks (quick)");
    }
}
