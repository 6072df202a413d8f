package io.updraft.gateway.api.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Agents send whole install logs as details: keep a bounded head of them instead of rejecting the feedback, and
 * make each kept line one clean line — control characters (NUL, ESC, tab, CR/LF, …) become spaces and a lone
 * surrogate U+FFFD — because the details travel on to the rollout-service, which stores them (a NUL it cannot).
 */
public final class FeedbackDetails {
    static final int MAX_LINES = 50;
    static final int MAX_LINE_LENGTH = 1000;

    private FeedbackDetails() {
    }

    public static List<String> cap(List<String> details) {
        if (details == null) {
            return List.of();
        }
        List<String> capped = new ArrayList<>(Math.min(details.size(), MAX_LINES));
        for (String line : details) {
            if (capped.size() == MAX_LINES) {
                break;
            }
            if (line != null) {
                capped.add(clean(line));
            }
        }
        return List.copyOf(capped);
    }

    /** At most {@link #MAX_LINE_LENGTH} chars with no control character or lone surrogate; a pair is never split. */
    static String clean(String line) {
        StringBuilder clean = new StringBuilder(Math.min(line.length(), MAX_LINE_LENGTH));
        for (int i = 0; i < line.length() && clean.length() < MAX_LINE_LENGTH; i++) {
            char c = line.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                if (clean.length() + 2 > MAX_LINE_LENGTH) {
                    break;
                }
                clean.append(c).append(line.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                clean.append('\uFFFD');
            } else if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                clean.append(' ');
            } else {
                clean.append(c);
            }
        }
        return clean.toString();
    }
}
