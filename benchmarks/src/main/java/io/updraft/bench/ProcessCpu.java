package io.updraft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU seconds a process (or a PostgreSQL cluster: the postmaster and all its children) has used so far, from
 * {@code /proc}, and tables of what a set of them used between two snapshots.
 */
final class ProcessCpu {
    /** USER_HZ of {@code /proc/<pid>/stat}. */
    static final double TICKS = 100;

    private ProcessCpu() {
    }

    /** The CPU fields of one {@code /proc/<pid>/stat} line, in clock ticks. */
    record Stat(long ppid, long utime, long stime, long cutime, long cstime) {
    }

    /** Parses a {@code /proc/<pid>/stat} line (the command name, in parentheses, may hold spaces and parentheses). */
    static Stat parseStat(String line) {
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is the state (field 3 of proc(5)): field n is fields[n - 3]
        return new Stat(Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                Long.parseLong(fields[13]), Long.parseLong(fields[14]));
    }

    /** A JVM's (or any process's) CPU seconds, empty when it has gone or is not a process of this machine. */
    static OptionalDouble processSeconds(long pid) {
        if (pid <= 0) { // a stack in containers has no pid here
            return OptionalDouble.empty();
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .map(d -> OptionalDouble.of(d.toNanos() / 1e9)).orElse(OptionalDouble.empty());
    }

    /**
     * The CPU seconds of the PostgreSQL cluster whose data directory is {@code dataDir}: the postmaster (its
     * {@code postmaster.pid}) with the children it has reaped (cutime, cstime: the backends of connections closed
     * meanwhile) and every child still running (backends, writers, autovacuum). Empty without a running postmaster.
     */
    static OptionalDouble postgresSeconds(Path dataDir) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            Stat main = parseStat(Files.readString(Path.of("/proc", Long.toString(postmaster), "stat")));
            long ticks = main.utime() + main.stime() + main.cutime() + main.cstime();
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(p -> p.getFileName().toString().chars()
                        .allMatch(Character::isDigit)).toList()) {
                    try {
                        Stat child = parseStat(Files.readString(process.resolve("stat")));
                        if (child.ppid() == postmaster) {
                            ticks += child.utime() + child.stime();
                        }
                    } catch (IOException | RuntimeException gone) {
                        // exited meanwhile: its time is in the postmaster's cutime once reaped
                    }
                }
            }
            return OptionalDouble.of(ticks / TICKS);
        } catch (IOException | RuntimeException none) {
            return OptionalDouble.empty();
        }
    }

    /** CPU seconds of named processes at one moment. */
    record Snapshot(long nanos, Map<String, OptionalDouble> seconds) {
        static Snapshot take(Map<String, Supplier<OptionalDouble>> processes) {
            Map<String, OptionalDouble> seconds = new LinkedHashMap<>();
            processes.forEach((name, cpu) -> seconds.put(name, cpu.get()));
            return new Snapshot(System.nanoTime(), seconds);
        }

        /** Each process's CPU seconds from {@code earlier} to this snapshot (empty if either side is). */
        Map<String, OptionalDouble> since(Snapshot earlier) {
            Map<String, OptionalDouble> used = new LinkedHashMap<>();
            seconds.forEach((name, now) -> {
                OptionalDouble then = earlier.seconds.getOrDefault(name, OptionalDouble.empty());
                used.put(name, now.isPresent() && then.isPresent() ? OptionalDouble.of(now.getAsDouble()
                        - then.getAsDouble()) : OptionalDouble.empty());
            });
            return used;
        }

        Duration wall(Snapshot earlier) {
            return Duration.ofNanos(nanos - earlier.nanos);
        }
    }

    /**
     * One line per process: CPU seconds and µs per command in each period ({@code periods}: name → CPU used), and the
     * total of the processes measured.
     */
    static List<String> table(Map<String, Map<String, OptionalDouble>> periods, long commands) {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s", "CPU"));
        periods.keySet().forEach(period -> header.append(String.format(Locale.ROOT, " | %-24s", period)));
        lines.add(header.toString());
        List<String> processes = periods.values().stream().flatMap(p -> p.keySet().stream()).distinct().toList();
        Map<String, Double> totals = new LinkedHashMap<>();
        for (String process : processes) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", process));
            periods.forEach((period, used) -> {
                OptionalDouble seconds = used.getOrDefault(process, OptionalDouble.empty());
                line.append(seconds.isPresent() ? cell(seconds.getAsDouble(), commands)
                        : String.format(Locale.ROOT, " | %-24s", "not measured"));
                seconds.ifPresent(s -> totals.merge(period, s, Double::sum));
            });
            lines.add(line.toString());
        }
        StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "%-22s", "total"));
        periods.keySet().forEach(period -> total.append(cell(totals.getOrDefault(period, 0.0), commands)));
        lines.add(total.toString());
        return lines;
    }

    private static String cell(double seconds, long commands) {
        return String.format(Locale.ROOT, " | %-24s", String.format(Locale.ROOT, "%8.2f s %8.2f µs/cmd", seconds,
                seconds * 1e6 / commands));
    }
}
