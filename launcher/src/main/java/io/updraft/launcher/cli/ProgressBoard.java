package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code rollout watch} shows of each rollout view it polls. On a terminal: a board (the rollout's state, one
 * bar per wave, rolled-back cohorts, rollback installs) redrawn in place with ANSI cursor-up and clear-line; anywhere
 * else (a CI log): a line for each thing that changed, never an escape sequence.
 */
final class ProgressBoard {
    static final String CURSOR_UP = "\u001b[%dA";
    static final String CLEAR_LINE = "\r\u001b[2K";

    private final PrintWriter out;
    private final boolean terminal;
    private final int columns;
    private final Map<String, String> shown = new HashMap<>();
    private List<String> drawn = List.of();

    /** @param columns the terminal's width: longer lines are cut, as a wrapped line would break the redraw */
    ProgressBoard(PrintWriter out, boolean terminal, int columns) {
        this.out = out;
        this.terminal = terminal;
        this.columns = Math.max(20, columns);
    }

    void show(JsonNode rollout) {
        if (terminal) {
            redraw(board(rollout));
        } else {
            changedLines(rollout).forEach(out::println);
        }
        out.flush();
    }

    /** Something else was printed below the board: the next view draws a new board under it. */
    void interrupted() {
        drawn = List.of();
    }

    private void redraw(List<String> lines) {
        if (lines.equals(drawn)) {
            return;
        }
        StringBuilder frame = new StringBuilder();
        if (!drawn.isEmpty()) {
            frame.append(String.format(Printer.NUMBERS, CURSOR_UP, drawn.size()));
        }
        for (String line : lines) {
            frame.append(CLEAR_LINE).append(line.length() < columns ? line : line.substring(0, columns - 1))
                    .append('\n');
        }
        int stale = drawn.size() - lines.size();
        if (stale > 0) {
            frame.append((CLEAR_LINE + "\n").repeat(stale)).append(String.format(Printer.NUMBERS, CURSOR_UP, stale));
        }
        out.print(frame);
        drawn = List.copyOf(lines);
    }

    /** The whole board: every wave has its bar, waiting ones too, so it keeps its height. */
    static List<String> board(JsonNode rollout) {
        List<String> lines = new ArrayList<>();
        lines.add("rollout " + rollout.path("name").asText() + ": " + rollout.path("state").asText());
        int count = rollout.path("waves").size();
        boolean confirmation = rollout.path("confirmationRequired").asBoolean();
        rollout.path("waves").forEach(wave -> lines.add(RolloutCommands.progressLine(wave, count, confirmation)));
        for (JsonNode cohort : rollout.path("cohorts")) {
            if ("ROLLED_BACK".equals(cohort.path("state").asText())) {
                lines.add(rolledBack(cohort));
            }
        }
        String rollbacks = RolloutCommands.rollbackLine(rollout).strip();
        if (!rollbacks.isEmpty()) {
            lines.add(rollbacks);
        }
        return lines;
    }

    /** Lines for a log: the state when it changes, a started wave's bar when it moves, a cohort once rolled back. */
    private List<String> changedLines(JsonNode rollout) {
        List<String> lines = new ArrayList<>();
        String state = rollout.path("state").asText();
        if (!state.equals(shown.put("state", state))) {
            lines.add("rollout " + rollout.path("name").asText() + ": " + state);
        }
        int count = rollout.path("waves").size();
        boolean confirmation = rollout.path("confirmationRequired").asBoolean();
        for (JsonNode wave : rollout.path("waves")) {
            String line = RolloutCommands.progressLine(wave, count, confirmation);
            if (!"PENDING".equals(wave.path("state").asText())
                    && !line.equals(shown.put("wave-" + wave.path("wave").asInt(), line))) {
                lines.add(line);
            }
        }
        for (JsonNode cohort : rollout.path("cohorts")) {
            String cohortState = cohort.path("state").asText();
            if (!cohortState.equals(shown.put("cohort-" + cohort.path("cohort").asText(), cohortState))
                    && "ROLLED_BACK".equals(cohortState)) {
                lines.add(rolledBack(cohort));
            }
        }
        String rollbacks = RolloutCommands.rollbackLine(rollout).strip();
        if (!rollbacks.isEmpty() && !rollbacks.equals(shown.put("rollbacks", rollbacks))) {
            lines.add(rollbacks);
        }
        return lines;
    }

    private static String rolledBack(JsonNode cohort) {
        return "cohort " + cohort.path("cohort").asText() + " ROLLED BACK: " + Printer.text(cohort, "rollbackReason");
    }
}
