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

    /** CPU a process used, in clock ticks: its own threads', and its waited-for children's (cutime + cstime). */
    public record CpuTicks(long own, long children) {
    }

    /**
     * utime + stime and cutime + cstime of a {@code /proc/<pid>/stat} line; the command name (field 2) may hold
     * spaces and parentheses, so fields are counted after its last {@code ')'}.
     */
    public static CpuTicks statCpuTicks(String statText) {
        String[] fields = statText.substring(statText.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is the state (field 3): utime is field 14, stime 15, cutime 16, cstime 17
        return new CpuTicks(Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
    }

    /** The whole machine's ticks from the {@code cpu} line of {@code /proc/stat}: {busy, total} (idle and iowait not busy). */
    public static long[] machineTicks(String procStatText) {
        for (String line : procStatText.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] fields = line.substring(4).trim().split("\\s+");
                long total = 0;
                // user nice system idle iowait irq softirq steal; guest time is already in user
                for (int i = 0; i < Math.min(8, fields.length); i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[3]) + (fields.length > 4 ? Long.parseLong(fields[4]) : 0);
                return new long[] { total - idle, total };
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }
}
