package io.updraft.bench;

import io.updraft.bench.BenchmarkResult.Figures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 21's per-stage breakdown of a fan-out: rollout-service's timer {@code updraft.rollout.fanout.stage}
 * ({@code FanoutStages}: one {@code stage} tag per stage of the POST's planning and of a dispatcher turn) scraped from
 * {@code /q/metrics} before the POST and after the last command was read back; the difference is the fan-out's.
 */
final class FanoutBreakdown {
    static final String METRIC = "updraft_rollout_fanout_stage_seconds";
    /** Stages of the POST (tag prefix); every other stage is a dispatcher turn's. */
    static final String PLAN_PREFIX = "plan-";
    /** The stage on the creator thread: it overlaps the dispatcher thread's, so it is not in their sum. */
    static final String CREATOR_STAGE = "create-next-chunk";

    private static final Pattern SAMPLE = Pattern.compile(
            "^" + METRIC + "_(count|sum)\\{([^}]*)\\}\\s+(\\S+)");
    private static final Pattern STAGE_LABEL = Pattern.compile("(?:^|,)\\s*stage=\"([^\"]*)\"");

    private FanoutBreakdown() {
    }

    /** One stage's totals: how many records (POSTs or turns) and the seconds they took. */
    record Stage(long count, double seconds) {
    }

    /** Every stage in the Prometheus text, in the order they appear (empty when the service has no such timer). */
    static Map<String, Stage> parse(String prometheusText) {
        Map<String, Stage> stages = new LinkedHashMap<>();
        for (String raw : prometheusText.split("\n")) {
            Matcher sample = SAMPLE.matcher(raw.trim());
            if (!sample.find()) {
                continue;
            }
            Matcher label = STAGE_LABEL.matcher(sample.group(2));
            if (!label.find()) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(sample.group(3));
            } catch (NumberFormatException notANumber) {
                continue;
            }
            Stage old = stages.getOrDefault(label.group(1), new Stage(0, 0));
            stages.put(label.group(1), sample.group(1).equals("count")
                    ? new Stage(old.count() + (long) value, old.seconds())
                    : new Stage(old.count(), old.seconds() + value));
        }
        return stages;
    }

    /** What happened between two scrapes (a stage missing before counts from zero). */
    static Map<String, Stage> since(Map<String, Stage> before, Map<String, Stage> after) {
        Map<String, Stage> delta = new LinkedHashMap<>();
        after.forEach((stage, now) -> {
            Stage then = before.getOrDefault(stage, new Stage(0, 0));
            delta.put(stage, new Stage(now.count() - then.count(), now.seconds() - then.seconds()));
        });
        return delta;
    }

    /**
     * The table: per stage its seconds, its share of the POST's (planning) or the dispatch's wall time, and µs per
     * command; then the dispatcher thread's sum and the rest of the dispatch wall time (idle, wake-up, the last
     * record's trip back to the benchmark's consumer).
     */
    static List<String> table(Map<String, Stage> stages, double postSeconds, double dispatchSeconds, long commands) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-34s %6s %9s %8s %11s", "stage", "count", "seconds", "% wall",
                "µs/command"));
        double threadSeconds = 0;
        boolean planHeader = false;
        boolean dispatchHeader = false;
        for (Map.Entry<String, Stage> entry : ordered(stages)) {
            boolean plan = entry.getKey().startsWith(PLAN_PREFIX);
            if (plan && !planHeader) {
                lines.add(String.format(Locale.ROOT, "POST (planning), wall %.2f s:", postSeconds));
                planHeader = true;
            }
            if (!plan && !dispatchHeader) {
                lines.add(String.format(Locale.ROOT, "dispatch (POST answered → last command read back), wall %.2f s:",
                        dispatchSeconds));
                dispatchHeader = true;
            }
            Stage stage = entry.getValue();
            String name = entry.getKey().equals(CREATOR_STAGE) ? CREATOR_STAGE + " (creator thread, overlaps)"
                    : entry.getKey();
            lines.add(row("  " + name, stage.count(), stage.seconds(), plan ? postSeconds : dispatchSeconds,
                    commands));
            if (!plan && !entry.getKey().equals(CREATOR_STAGE)) {
                threadSeconds += stage.seconds();
            }
        }
        if (dispatchHeader) {
            lines.add(row("  dispatcher thread, sum of its stages", -1, threadSeconds, dispatchSeconds, commands));
            double rest = dispatchSeconds - threadSeconds;
            lines.add(row(rest < 0 ? "  rest (< 0: a turn began before the POST's answer)"
                    : "  rest of the wall time (not in a turn)", -1, rest, dispatchSeconds, commands));
        }
        return lines;
    }

    /** The stages of the POST first, then the turn's, each in the order the service listed them. */
    private static List<Map.Entry<String, Stage>> ordered(Map<String, Stage> stages) {
        List<Map.Entry<String, Stage>> ordered = new ArrayList<>();
        stages.entrySet().stream().filter(e -> e.getKey().startsWith(PLAN_PREFIX)).forEach(ordered::add);
        stages.entrySet().stream().filter(e -> !e.getKey().startsWith(PLAN_PREFIX)).forEach(ordered::add);
        return ordered;
    }

    private static String row(String name, long count, double seconds, double wall, long commands) {
        return String.format(Locale.ROOT, "%-34s %6s %9.3f %7.1f%% %11.2f", name, count < 0 ? "" : Long.toString(count),
                seconds, wall > 0 ? 100 * seconds / wall : Double.NaN, commands > 0 ? seconds * 1e6 / commands
                        : Double.NaN);
    }

    /** Each stage as a figure (µs per command; seconds and share in the note), named for results.md. */
    static void addFigures(Figures figures, Map<String, Stage> stages, double postSeconds, double dispatchSeconds,
            long commands) {
        for (Map.Entry<String, Stage> entry : ordered(stages)) {
            boolean plan = entry.getKey().startsWith(PLAN_PREFIX);
            Stage stage = entry.getValue();
            double wall = plan ? postSeconds : dispatchSeconds;
            figures.add(Figure.of(String.format(Locale.ROOT, "%,d devices, fan-out stage %s", commands,
                    entry.getKey()), stage.seconds() * 1e6 / commands, "µs/command").note(String.format(Locale.ROOT,
                            "%.3f s over %d %s = %.1f %% of the %s wall time (%.2f s)%s", stage.seconds(),
                            stage.count(), plan ? "POST(s)" : "turns", 100 * stage.seconds() / wall,
                            plan ? "POST's" : "dispatch's", wall, entry.getKey().equals(CREATOR_STAGE)
                                    ? "; on the creator thread, overlapping the dispatcher thread's stages" : "")));
        }
    }
}
