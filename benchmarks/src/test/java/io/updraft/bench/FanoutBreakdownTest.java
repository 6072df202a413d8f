package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanoutBreakdownTest {
    /** rollout-service's /q/metrics as Micrometer's Prometheus registry writes a timer, among other meters. */
    private static final String BEFORE = """
            # HELP updraft_rollout_fanout_stage_seconds time spent in one stage of a rollout's fan-out
            # TYPE updraft_rollout_fanout_stage_seconds summary
            updraft_rollout_fanout_stage_seconds_count{stage="plan-assign"} 2
            updraft_rollout_fanout_stage_seconds_sum{stage="plan-assign"} 0.5
            updraft_rollout_fanout_stage_seconds_count{stage="send"} 10
            updraft_rollout_fanout_stage_seconds_sum{stage="send"} 0.25
            # HELP updraft_rollout_fanout_stage_seconds_max time spent in one stage of a rollout's fan-out
            # TYPE updraft_rollout_fanout_stage_seconds_max gauge
            updraft_rollout_fanout_stage_seconds_max{stage="send"} 0.05
            updraft_rollout_commands_dispatched_total 20000.0
            """;
    private static final String AFTER = """
            updraft_rollout_fanout_stage_seconds_count{stage="plan-assign"} 3
            updraft_rollout_fanout_stage_seconds_sum{stage="plan-assign"} 2.5
            updraft_rollout_fanout_stage_seconds_max{stage="plan-assign"} 2.0
            updraft_rollout_fanout_stage_seconds_count{stage="plan-commit"} 1
            updraft_rollout_fanout_stage_seconds_sum{stage="plan-commit"} 0.5
            updraft_rollout_fanout_stage_seconds_count{stage="create-next-chunk"} 5
            updraft_rollout_fanout_stage_seconds_sum{stage="create-next-chunk"} 3.0
            updraft_rollout_fanout_stage_seconds_count{stage="send"} 15
            updraft_rollout_fanout_stage_seconds_sum{stage="send"} 1.25
            updraft_rollout_fanout_stage_seconds_count{stage="serialise"} 5
            updraft_rollout_fanout_stage_seconds_sum{stage="serialise"} 2.0
            updraft_rollout_fanout_stage_seconds_count{other="x",stage="commit"} 5
            updraft_rollout_fanout_stage_seconds_sum{other="x",stage="commit"} 1.0E0
            updraft_rollout_fanout_stage_seconds_sum{stage="broken"} NaN-ish
            updraft_rollout_fanout_stage_other_sum{stage="send"} 99
            """;

    @Test
    void readsCountAndSumPerStageAndNothingElse() {
        Map<String, FanoutBreakdown.Stage> stages = FanoutBreakdown.parse(BEFORE);

        assertThat(stages).containsOnlyKeys("plan-assign", "send");
        assertThat(stages.get("plan-assign")).isEqualTo(new FanoutBreakdown.Stage(2, 0.5));
        assertThat(stages.get("send")).isEqualTo(new FanoutBreakdown.Stage(10, 0.25)); // not the _max
        assertThat(FanoutBreakdown.parse(AFTER).get("commit")).isEqualTo(new FanoutBreakdown.Stage(5, 1.0));
        assertThat(FanoutBreakdown.parse("jvm_memory_used_bytes{area=\"heap\"} 1.0\n")).isEmpty();
    }

    @Test
    void theFanoutIsTheDifferenceBetweenTheScrapes() {
        Map<String, FanoutBreakdown.Stage> fanout = FanoutBreakdown.since(FanoutBreakdown.parse(BEFORE),
                FanoutBreakdown.parse(AFTER));

        assertThat(fanout.get("plan-assign")).isEqualTo(new FanoutBreakdown.Stage(1, 2.0));
        assertThat(fanout.get("send")).isEqualTo(new FanoutBreakdown.Stage(5, 1.0));
        assertThat(fanout.get("plan-commit")).isEqualTo(new FanoutBreakdown.Stage(1, 0.5)); // new since: from zero
    }

    @Test
    void printsSecondsShareOfTheWallTimeAndMicrosPerCommand() {
        Map<String, FanoutBreakdown.Stage> fanout = FanoutBreakdown.since(FanoutBreakdown.parse(BEFORE),
                FanoutBreakdown.parse(AFTER));

        List<String> table = FanoutBreakdown.table(fanout, 4.0, 10.0, 100_000);

        assertThat(table.get(0)).contains("stage", "seconds", "% wall", "µs/command");
        // the POST's stages first, as shares of the POST's wall time
        assertThat(table.get(1)).startsWith("POST (planning), wall 4.00 s");
        assertThat(table.get(2)).contains("plan-assign", " 2.000 ", "50.0%", "20.00");
        assertThat(table.get(3)).contains("plan-commit", "0.500", "12.5%", "5.00");
        // then the turn's, as shares of the dispatch's
        assertThat(table.get(4)).startsWith("dispatch (POST answered → last command read back), wall 10.00 s");
        assertThat(table.get(5)).contains("create-next-chunk (creator thread, overlaps)", "3.000", "30.0%", "30.00");
        assertThat(table.get(6)).contains("send", "1.000", "10.0%", "10.00");
        // the dispatcher thread's stages add up without the creator's, and the rest is what no turn accounts for
        assertThat(table.get(9)).contains("dispatcher thread, sum of its stages", "4.000", "40.0%", "40.00");
        assertThat(table.get(10)).contains("rest of the wall time", "6.000", "60.0%", "60.00");
        assertThat(table).hasSize(11);
        // the dispatcher's first turn starts once the POST's transaction committed, before the POST is answered
        assertThat(FanoutBreakdown.table(fanout, 4.0, 3.5, 100_000).get(10))
                .contains("rest (< 0: a turn began before the POST's answer)", "-0.500");
    }

    @Test
    void eachStageIsAFigureInMicrosPerCommand() {
        BenchmarkResult.Figures figures = new BenchmarkResult.Figures();
        Map<String, FanoutBreakdown.Stage> fanout = FanoutBreakdown.since(FanoutBreakdown.parse(BEFORE),
                FanoutBreakdown.parse(AFTER));

        FanoutBreakdown.addFigures(figures, fanout, 4.0, 10.0, 100_000);

        Figure send = figures.list().stream().filter(f -> f.name().endsWith("stage send")).findFirst().orElseThrow();
        assertThat(send.name()).isEqualTo("100,000 devices, fan-out stage send");
        assertThat(send.value()).isCloseTo(10.0, within(1e-9));
        assertThat(send.unit()).isEqualTo("µs/command");
        assertThat(send.note()).contains("1.000 s over 5 turns = 10.0 % of the dispatch's wall time (10.00 s)");
    }
}
