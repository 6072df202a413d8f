package io.updraft.events;

import java.util.ArrayList;
import java.util.List;

/**
 * An event's JSON cut at a few of its values, for a producer that writes many events differing only in those: the
 * JSON is written once ({@link EventJson}) for an event whose varying fields hold marker values, and each event's
 * JSON is then the pieces with its own values between them — the bytes Jackson would write for it, at a fraction of
 * the cost. The caller writes each value as JSON text ({@link #quoted}, {@link Long#toString}); a string value that
 * JSON would escape is the caller's cue to write that one event through {@link EventJson} instead.
 */
public final class JsonTemplate {
    private final String[] pieces;
    /** pieces[i] is followed by the value of markerAt[i]; the last piece by nothing. */
    private final int[] markerAt;
    private final int fixedLength;

    private JsonTemplate(String[] pieces, int[] markerAt) {
        this.pieces = pieces;
        this.markerAt = markerAt;
        int length = 0;
        for (String piece : pieces) {
            length += piece.length();
        }
        this.fixedLength = length;
    }

    /**
     * The template of {@code json} cut at each of {@code markers} (as they appear in it: a quoted string, a number),
     * or null when a marker is not found exactly once — the caller then writes every event through Jackson.
     */
    public static JsonTemplate of(String json, String... markers) {
        List<int[]> found = new ArrayList<>(markers.length); // {start, end, marker}
        for (int m = 0; m < markers.length; m++) {
            int at = json.indexOf(markers[m]);
            if (at < 0 || json.indexOf(markers[m], at + 1) >= 0) {
                return null;
            }
            found.add(new int[] { at, at + markers[m].length(), m });
        }
        found.sort((a, b) -> Integer.compare(a[0], b[0]));
        String[] pieces = new String[found.size() + 1];
        int[] markerAt = new int[found.size()];
        int at = 0;
        for (int i = 0; i < found.size(); i++) {
            int[] slot = found.get(i);
            if (slot[0] < at) {
                return null; // two markers overlap
            }
            pieces[i] = json.substring(at, slot[0]);
            markerAt[i] = slot[2];
            at = slot[1];
        }
        pieces[found.size()] = json.substring(at);
        return new JsonTemplate(pieces, markerAt);
    }

    /** The JSON with {@code values} (JSON text, in the order of the markers given to {@link #of}) in place. */
    public String fill(String... values) {
        int length = fixedLength;
        for (String value : values) {
            length += value.length();
        }
        StringBuilder json = new StringBuilder(length);
        for (int i = 0; i < markerAt.length; i++) {
            json.append(pieces[i]).append(values[markerAt[i]]);
        }
        return json.append(pieces[markerAt.length]).toString();
    }

    /**
     * {@code value} as a JSON string exactly as Jackson writes it, or null when Jackson would write it otherwise
     * (null, or a character it escapes or that is not printable ASCII).
     */
    public static String quoted(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
        }
        return '"' + value + '"';
    }
}
