package io.updraft.gateway.api.mapping;

import java.time.Duration;

/** DDI's sleep format: exactly HH:MM:SS (suricatta parses it with strptime "%H:%M:%S"), with per-device jitter. */
public final class PollingSleep {
    private PollingSleep() {
    }

    public static String format(Duration sleep) {
        long seconds = Math.max(0, Math.min(sleep.toSeconds(), 23 * 3600 + 59 * 60 + 59));
        // by hand, not String.format: this runs on every poll
        char[] text = new char[8];
        twoDigits(text, 0, seconds / 3600);
        text[2] = ':';
        twoDigits(text, 3, (seconds % 3600) / 60);
        text[5] = ':';
        twoDigits(text, 6, seconds % 60);
        return new String(text);
    }

    private static void twoDigits(char[] text, int at, long value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }

    /**
     * {@code interval} stretched by up to ±{@code fraction}, always by the same factor for the same device: a fleet
     * that started (or reconnected) at once spreads its polls, while each device keeps a steady rhythm. Never below
     * one second, so a short interval cannot turn into a zero sleep (a busy loop in the agent).
     */
    public static Duration jittered(Duration interval, double fraction, String controllerId) {
        if (fraction <= 0) {
            return interval;
        }
        long millis = Math.round(interval.toMillis() * (1 + Math.min(fraction, 1) * spread(controllerId)));
        return Duration.ofSeconds(Math.max(1, Math.round(millis / 1000.0)));
    }

    /** A value in [-1, 1) fixed per device and evenly spread over devices (murmur3's finalizer on the id's hash). */
    static double spread(String controllerId) {
        int h = controllerId.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h >>> 8) / (double) (1 << 23) - 1.0;
    }
}
