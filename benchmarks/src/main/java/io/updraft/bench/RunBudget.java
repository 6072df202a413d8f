package io.updraft.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wall-time budget of {@code ./updraft bench --quick}: 10 minutes on this 2-core machine, split per benchmark, and
 * the table the suite prints at the end of every run — each benchmark's budget (quick only) beside its own wall time,
 * then the whole run's. The four-service stack the end-to-end, CLI and delta benchmarks share has a row of its own:
 * its start is counted there, not in whichever of them started it.
 */
final class RunBudget {
    /** The whole {@code --quick} run (issue 21: within 10 minutes). */
    static final int QUICK_TOTAL_SECONDS = 600;
    static final String STACK = "four-service stack start (shared by end to end, CLI calls, delta updates)";
    /** Per benchmark (its result's name), in the order the suite runs them. */
    static final Map<String, Integer> QUICK;

    static {
        Map<String, Integer> quick = new LinkedHashMap<>();
        quick.put("gateway poll", 150);
        quick.put("telemetry topology", 55);
        quick.put("rollout fan-out", 60);
        quick.put(STACK, 50);
        quick.put("end to end", 95);
        quick.put("CLI calls", 30);
        quick.put("delta updates", 30);
        quick.put("rollout cold start", 55);
        quick.put("rollout target selection", 20);
        quick.put("rollout report intake", 35);
        quick.put("gateway command intake", 20);
        QUICK = Collections.unmodifiableMap(quick);
    }

    /** A benchmark's own wall time (seconds). */
    record Row(String name, double seconds) {
    }

    private RunBudget() {
    }

    /**
     * The table: one line per row with its budget (none in a full run, or for a row without one), its wall time and
     * how far over its budget it went; then the run's elapsed time against {@link #QUICK_TOTAL_SECONDS}.
     */
    static List<String> table(List<Row> rows, boolean quick, double elapsedSeconds) {
        List<String> lines = new ArrayList<>();
        lines.add(quick ? String.format(Locale.ROOT, "time per benchmark (--quick budget %d s in all):",
                QUICK_TOTAL_SECONDS) : "time per benchmark (full run, no budget):");
        lines.add(String.format(Locale.ROOT, "  %8s %8s  %s", "budget", "wall", "benchmark"));
        for (Row row : rows) {
            Integer budget = quick ? QUICK.get(row.name()) : null;
            lines.add(line(budget, row.seconds(), row.name()));
        }
        lines.add(line(quick ? QUICK_TOTAL_SECONDS : null, elapsedSeconds, String.format(Locale.ROOT,
                "total: the whole run (%d min %02d s)", (long) elapsedSeconds / 60, (long) elapsedSeconds % 60)));
        return lines;
    }

    private static String line(Integer budget, double seconds, String name) {
        String over = budget != null && seconds > budget
                ? String.format(Locale.ROOT, "  — over budget by %.0f s", seconds - budget) : "";
        return String.format(Locale.ROOT, "  %8s %6.0f s  %s%s", budget == null ? "—" : budget + " s", seconds, name,
                over);
    }
}
