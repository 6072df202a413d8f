package io.updraft.launcher;

import java.io.PrintStream;
import java.util.Locale;

/** Prints what happens, stamped with seconds since the story began. */
final class Timeline {
    private final PrintStream out;
    private final long start = System.nanoTime();

    Timeline(PrintStream out) {
        this.out = out;
    }

    void say(String format, Object... args) {
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    void plain(String text) {
        out.println(text);
        out.flush();
    }
}
