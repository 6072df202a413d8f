package io.updraft.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code Range: bytes=…} header (RFC 9110 §14.1.2) and what it selects from a representation of a given length.
 * Pure: no I/O. The rules the gateway applies, and why:
 * <ul>
 * <li>A header that is not {@code bytes=} with a list of well-formed range-specs is ignored ({@link #parse} answers
 * empty): the whole artifact, 200, as RFC 9110 §14.2 allows and the release-service does for one range.</li>
 * <li>Ranges that start at or past the end are dropped; if none is left the answer is 416 (§14.1.2, §15.5.17).</li>
 * <li>Overlapping ranges are coalesced into one part, which takes the place of the first of them (§14.2 allows it);
 * so the parts never carry more bytes than the artifact has. Ranges that merely touch or come out of order are kept
 * as separate parts in the order requested (§15.3.7.2): SWUpdate's delta handler reads the parts of a multipart
 * answer in the order it asked for them without looking at their headers.</li>
 * </ul>
 */
public final class ByteRanges {
    private ByteRanges() {
    }

    /** One range-spec as written: {@code first-last}, {@code first-} (last = -1) or {@code -suffix}. */
    public record Spec(long first, long last, long suffix) {
        static final long NONE = -1;

        /** The spec as a {@code Range} header of its own, normalised ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}). */
        public String header() {
            if (suffix != NONE) {
                return "bytes=-" + suffix;
            }
            return "bytes=" + first + "-" + (last == NONE ? "" : Long.toString(last));
        }

        /** The satisfiable part of this spec for a representation of {@code length} bytes, or empty. */
        Optional<Part> resolve(long length) {
            if (suffix != NONE) {
                if (suffix == 0 || length == 0) {
                    return Optional.empty();
                }
                return Optional.of(new Part(Math.max(0, length - suffix), length - 1));
            }
            if (first >= length) {
                return Optional.empty();
            }
            return Optional.of(new Part(first, last == NONE ? length - 1 : Math.min(last, length - 1)));
        }
    }

    /** An inclusive byte range within the representation. */
    public record Part(long first, long last) {
        public long length() {
            return last - first + 1;
        }

        public String contentRange(long total) {
            return "bytes " + first + "-" + last + "/" + total;
        }

        boolean overlaps(Part other) {
            return first <= other.last && other.first <= last;
        }
    }

    /**
     * The range-specs of a {@code Range} header, in the order written; empty when the header is to be ignored (absent,
     * another unit, a malformed spec, {@code last < first}, no spec at all). Empty list elements are skipped (RFC 9110
     * §5.6.1) and whitespace around the commas allowed.
     */
    public static Optional<List<Spec>> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return Optional.empty();
        }
        List<Spec> specs = new ArrayList<>();
        for (String element : value.substring(eq + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue;
            }
            Optional<Spec> parsed = spec(spec);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            specs.add(parsed.get());
        }
        return specs.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(specs));
    }

    /**
     * The parts to send for {@code specs} against {@code length} bytes: unsatisfiable specs dropped, overlapping ones
     * coalesced at the place of the first, the rest in the order requested. Empty means 416.
     */
    public static List<Part> select(List<Spec> specs, long length) {
        List<Part> parts = new ArrayList<>();
        for (Spec spec : specs) {
            spec.resolve(length).ifPresent(part -> merge(parts, part));
        }
        return parts;
    }

    /** Adds {@code part}, folding into it every part already chosen that it overlaps (repeatedly, as it grows). */
    private static void merge(List<Part> parts, Part part) {
        Part merged = part;
        int at = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).overlaps(merged)) {
                Part existing = parts.remove(i);
                merged = new Part(Math.min(existing.first, merged.first), Math.max(existing.last, merged.last));
                at = at < 0 ? i : Math.min(at, i);
                i = -1; // the grown part may now overlap one it did not before
            }
        }
        if (at < 0) {
            parts.add(merged);
        } else {
            parts.add(Math.min(at, parts.size()), merged);
        }
    }

    private static Optional<Spec> spec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0 || dash != spec.lastIndexOf('-')) {
            return Optional.empty();
        }
        String first = spec.substring(0, dash);
        String last = spec.substring(dash + 1);
        if (!digits(first) && !first.isEmpty() || !digits(last) && !last.isEmpty()
                || first.isEmpty() && last.isEmpty()) {
            return Optional.empty();
        }
        if (first.isEmpty()) {
            return Optional.of(new Spec(Spec.NONE, Spec.NONE, number(last)));
        }
        long from = number(first);
        long to = last.isEmpty() ? Spec.NONE : number(last);
        if (to != Spec.NONE && to < from) {
            return Optional.empty(); // RFC 9110: last-pos < first-pos makes the spec invalid
        }
        return Optional.of(new Spec(from, to, Spec.NONE));
    }

    private static boolean digits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Anything beyond a long is simply "more than any artifact". */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }
}
