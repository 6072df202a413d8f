package io.updraft.gateway.mapping;

import java.util.List;
import java.util.Objects;

/** Agents send whole install logs as details: keep a bounded head of them instead of rejecting the feedback. */
public final class FeedbackDetails {
    static final int MAX_LINES = 50;
    static final int MAX_LINE_LENGTH = 1000;

    private FeedbackDetails() {
    }

    public static List<String> cap(List<String> details) {
        if (details == null) {
            return List.of();
        }
        return details.stream()
                .filter(Objects::nonNull)
                .limit(MAX_LINES)
                .map(line -> line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) : line)
                .toList();
    }
}
