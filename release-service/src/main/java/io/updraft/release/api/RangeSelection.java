package io.updraft.release.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header selects from an artifact of a given size (RFC 9110 §14.1.2). One range is served as a
 * 206; multiple ranges, other units and malformed headers are ignored (the whole artifact, as RFC 9110 allows),
 * because device agents resume downloads with exactly one range.
 */
public sealed interface RangeSelection {
    Pattern SINGLE_RANGE = Pattern.compile("(\\d*)-(\\d*)");

    record Whole() implements RangeSelection {
    }

    record Part(long first, long last) implements RangeSelection {
        public long length() {
            return last - first + 1;
        }

        public String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    record Unsatisfiable() implements RangeSelection {
        public String contentRange(long size) {
            return "bytes */" + size;
        }
    }

    static RangeSelection whole() {
        return new Whole();
    }

    static RangeSelection of(String rangeHeader, long size) {
        if (rangeHeader == null) {
            return whole();
        }
        String header = rangeHeader.trim();
        if (!header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return whole();
        }
        Matcher range = SINGLE_RANGE.matcher(header.substring(6).trim());
        if (!range.matches() || (range.group(1).isEmpty() && range.group(2).isEmpty())) {
            return whole();
        }
        if (range.group(1).isEmpty()) {
            return suffix(number(range.group(2)), size);
        }
        long first = number(range.group(1));
        long last = range.group(2).isEmpty() ? Long.MAX_VALUE : number(range.group(2));
        if (last < first) {
            return whole(); // syntactically invalid: ignore the header
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Part(first, Math.min(last, size - 1));
    }

    /** {@code bytes=-n}: the last n bytes, or the whole artifact when it is shorter than n. */
    private static RangeSelection suffix(long length, long size) {
        if (length == 0 || size == 0) {
            return new Unsatisfiable();
        }
        return new Part(Math.max(0, size - length), size - 1);
    }

    /** Digits only (the pattern guarantees it); anything beyond a long is simply "more than any artifact". */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }
}
