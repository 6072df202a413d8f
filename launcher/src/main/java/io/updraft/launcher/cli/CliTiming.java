package io.updraft.launcher.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a CLI call's time goes, printed to standard error at the end of the call when {@code UPDRAFT_CLI_TIMING=1}
 * (the CLI benchmark reads it): one line {@code updraft-cli-timing: start=… model=… … total=…}, each phase in ms since the
 * previous mark: {@code start} from when {@code ./updraft} began (it passes {@code -Dupdraft.t0}, bash's
 * {@code EPOCHREALTIME}) to {@code main} (left out when the JVM was started otherwise), {@code model} picocli's
 * command tree, {@code parse} the arguments, {@code client} endpoints, token and HTTP client, {@code request} the call
 * until its answer, {@code json} parsing the answer, {@code print} the output; {@code total} their sum. The time
 * from there to the process's exit is the caller's to measure. Off, every mark is a field read.
 */
public final class CliTiming {
    static final String ENV = "UPDRAFT_CLI_TIMING";
    private static final boolean ON = "1".equals(System.getenv(ENV));
    private static final List<String> NAMES = ON ? new ArrayList<>() : null;
    private static final List<Long> NANOS = ON ? new ArrayList<>() : null;
    private static long mainNanos;
    private static long startMicros;

    private CliTiming() {
    }

    /** The first mark: {@code main} was entered. */
    static void main() {
        if (!ON) {
            return;
        }
        mainNanos = System.nanoTime();
        long nowMicros = System.currentTimeMillis() * 1000;
        String t0 = System.getProperty("updraft.t0");
        startMicros = -1;
        if (t0 != null && !t0.isBlank()) {
            try {
                startMicros = nowMicros - Math.round(Double.parseDouble(t0.replace(',', '.')) * 1_000_000);
            } catch (NumberFormatException notANumber) {
                // bash without EPOCHREALTIME: the start is unknown
            }
        }
    }

    /** A phase ended now: the time since the previous mark is {@code name}'s. */
    public static void mark(String name) {
        if (!ON || mainNanos == 0) { // only in the CLI's own process: a long-lived caller of UpdraftApi records nothing
            return;
        }
        synchronized (CliTiming.class) {
            NAMES.add(name);
            NANOS.add(System.nanoTime());
        }
    }

    /** Prints the line (once a call, at its end). */
    static void print(PrintStream err) {
        if (!ON || mainNanos == 0) {
            return;
        }
        StringBuilder line = new StringBuilder("updraft-cli-timing:");
        if (startMicros >= 0) {
            line.append(String.format(Printer.NUMBERS, " start=%.1f", startMicros / 1000.0));
        }
        long previous = mainNanos;
        synchronized (CliTiming.class) {
            for (int i = 0; i < NAMES.size(); i++) {
                line.append(String.format(Printer.NUMBERS, " %s=%.1f", NAMES.get(i), (NANOS.get(i) - previous) / 1e6));
                previous = NANOS.get(i);
            }
        }
        line.append(String.format(Printer.NUMBERS, " total=%.1f",
                Math.max(0, startMicros) / 1000.0 + (previous - mainNanos) / 1e6));
        err.println(line);
        err.flush();
    }
}
