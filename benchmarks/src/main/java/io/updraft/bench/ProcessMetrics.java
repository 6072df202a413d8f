package io.updraft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;

/** What the benchmarks read about a server process: Prometheus text from {@code /q/metrics}, {@code /proc} status. */
public final class ProcessMetrics {
    private ProcessMetrics() {
    }

    /**
     * Sum of every series of {@code name} whose labels include all of {@code labels} (e.g. heap used over all heap
     * pools), or empty when no series matches.
     */
    public static OptionalDouble sum(String prometheusText, String name, Map<String, String> labels) {
        double total = 0;
        boolean found = false;
        for (String raw : prometheusText.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
            if (nameEnd < 0 || !line.substring(0, nameEnd).equals(name)) {
                continue;
            }
            String labelText = "";
            String rest = line.substring(nameEnd);
            if (rest.startsWith("{")) {
                int close = rest.lastIndexOf('}');
                labelText = rest.substring(1, close);
                rest = rest.substring(close + 1);
            }
            String labelSet = labelText;
            if (!labels.entrySet().stream().allMatch(l -> labelSet.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                continue;
            }
            String[] parts = rest.trim().split("\\s+"); // value, optionally a timestamp
            try {
                total += Double.parseDouble(parts[0]);
                found = true;
            } catch (NumberFormatException ignored) {
                // NaN written differently, or not a sample line
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} (VmHWM = peak resident set, VmRSS = now), in bytes. */
    public static OptionalDouble statusBytes(String statusText, String field) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                double value = Double.parseDouble(parts[0]);
                return OptionalDouble.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
            }
        }
        return OptionalDouble.empty();
    }

    /** The field for a live process, or empty when it has gone (or this is not Linux). */
    public static OptionalDouble procStatusBytes(long pid, String field) {
        try {
            return statusBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
        } catch (IOException | RuntimeException gone) {
            return OptionalDouble.empty();
        }
    }
}
