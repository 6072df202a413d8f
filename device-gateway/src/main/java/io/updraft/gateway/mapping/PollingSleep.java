package io.updraft.gateway.mapping;

import java.time.Duration;

/** DDI's sleep format: exactly HH:MM:SS (suricatta parses it with strptime "%H:%M:%S"). */
public final class PollingSleep {
    private PollingSleep() {
    }

    public static String format(Duration sleep) {
        long seconds = Math.max(0, Math.min(sleep.toSeconds(), 23 * 3600 + 59 * 60 + 59));
        return String.format("%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }
}
