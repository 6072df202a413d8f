package io.updraft.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures {@code rollout.TargetSelectionBenchmark} prints, read back from its output (among log lines): the cost
 * of {@code updraft_version_key} per version, the insert of N devices without and with the generated column, and the
 * time to count the target set of each filter.
 */
record TargetSelectionOutput(Optional<Double> versionKeyMicros, Optional<Insert> insert, List<Selection> selections) {
    private static final Pattern KEY = Pattern.compile("updraft_version_key alone: (-?[\\d.]+) µs per version");
    private static final Pattern INSERT = Pattern.compile(
            "insert ([\\d,]+) devices: ([\\d,]+) ms without version_key, ([\\d,]+) ms with it");
    private static final Pattern SELECT = Pattern.compile(
            "select (.+?)\\s+([\\d,]+) of ([\\d,]+) devices in\\s+([\\d,]+) ms");

    /** Writing N devices into {@code device} without (a copy of the table) and with the generated version key. */
    record Insert(long devices, double withoutMillis, double withMillis) {
    }

    /**
     * A filter, how many devices it selected, and how long counting them took: the last run printed (the benchmark
     * runs each filter twice, the second on a warm cache) and the one before it, if any.
     */
    record Selection(String filter, long selected, long devices, double millis, Double firstMillis) {
    }

    static TargetSelectionOutput parse(String output) {
        Optional<Double> key = Optional.empty();
        Optional<Insert> insert = Optional.empty();
        Map<String, Selection> selections = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher m;
            if ((m = KEY.matcher(line)).find()) {
                key = Optional.of(Double.parseDouble(m.group(1)));
            } else if ((m = INSERT.matcher(line)).find()) {
                insert = Optional.of(new Insert(number(m.group(1)), number(m.group(2)), number(m.group(3))));
            } else if ((m = SELECT.matcher(line)).find()) {
                String filter = m.group(1).strip();
                Selection before = selections.get(filter);
                selections.put(filter, new Selection(filter, number(m.group(2)), number(m.group(3)),
                        number(m.group(4)), before == null ? null : before.millis()));
            }
        }
        return new TargetSelectionOutput(key, insert, List.copyOf(selections.values()));
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
