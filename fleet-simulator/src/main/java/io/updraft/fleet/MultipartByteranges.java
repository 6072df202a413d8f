package io.updraft.fleet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code 206 multipart/byteranges} body (RFC 9110 §14.6, framed as RFC 2046 multipart): the boundary comes
 * from the Content-Type, every part must carry {@code Content-Range: bytes a-b/len}, and a part's data is taken by
 * that length — so the boundary's bytes appearing inside the data cannot end a part early. Parts are returned in the
 * order they arrive. Anything else (no boundary, a part without Content-Range, data shorter than its range, no
 * closing delimiter) is refused with {@link Malformed}.
 */
final class MultipartByteranges {
    private static final Pattern BOUNDARY = Pattern.compile(
            "(?i)^\\s*multipart/byteranges\\s*;(?:.*;)?\\s*boundary\\s*=\\s*(\"([^\"]{1,70})\"|([^\\s;\"]{1,70}))");
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?i)^\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)\\s*$");

    /** One part: bytes {@code [first, last]} of the representation are {@code body[offset, offset + length())}. */
    record Part(long first, long last, int offset) {
        int length() {
            return (int) (last - first + 1);
        }
    }

    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private MultipartByteranges() {
    }

    /** The boundary of a {@code multipart/byteranges} Content-Type, or null when it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    static List<Part> parse(String contentType, byte[] body) throws Malformed {
        String boundary = boundary(contentType);
        if (boundary == null) {
            throw new Malformed("not multipart/byteranges with a boundary: " + contentType);
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the first delimiter: at the very start, or after a preamble ending in CRLF
        int at = startsWith(body, 0, delimiter) ? 0 : indexOf(body, crlf(delimiter), 0);
        if (at < 0) {
            throw new Malformed("no opening boundary --" + boundary);
        }
        if (at > 0 || !startsWith(body, 0, delimiter)) {
            at += 2;
        }
        List<Part> parts = new ArrayList<>();
        int position = at + delimiter.length;
        while (true) {
            if (startsWith(body, position, new byte[] {'-', '-'})) {
                if (parts.isEmpty()) {
                    throw new Malformed("a multipart/byteranges answer without parts");
                }
                return List.copyOf(parts); // the closing delimiter; an epilogue after it is ignored
            }
            position = skipTransportPadding(body, position);
            if (!startsWith(body, position, new byte[] {'\r', '\n'})) {
                throw new Malformed("no CRLF after a boundary at byte " + position);
            }
            position += 2;
            Long first = null;
            long last = 0;
            while (true) {
                int end = indexOf(body, new byte[] {'\r', '\n'}, position);
                if (end < 0) {
                    throw new Malformed("part headers not ended at byte " + position);
                }
                if (end == position) {
                    position += 2;
                    break;
                }
                String line = new String(body, position, end - position, StandardCharsets.ISO_8859_1);
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new Malformed("not a header line: " + line);
                }
                if (line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-range")) {
                    Matcher m = CONTENT_RANGE.matcher(line.substring(colon + 1));
                    if (!m.matches()) {
                        throw new Malformed("a part's Content-Range is not bytes a-b/len: " + line);
                    }
                    first = Long.parseLong(m.group(1));
                    last = Long.parseLong(m.group(2));
                    if (last < first || last - first >= Integer.MAX_VALUE
                            || (!m.group(3).equals("*") && last >= Long.parseLong(m.group(3)))) {
                        throw new Malformed("a part's Content-Range is not a range within the length: " + line);
                    }
                }
                position = end + 2;
            }
            if (first == null) {
                throw new Malformed("a part without Content-Range at byte " + position);
            }
            Part part = new Part(first, last, position);
            if ((long) position + part.length() > body.length) {
                throw new Malformed("the part for bytes " + first + "-" + last + " is cut short");
            }
            parts.add(part);
            position += part.length();
            if (!startsWith(body, position, crlf(delimiter))) {
                throw new Malformed("no boundary right after the part for bytes " + first + "-" + last);
            }
            position += 2 + delimiter.length;
        }
    }

    /** RFC 2046 allows linear white space between a boundary and its CRLF. */
    private static int skipTransportPadding(byte[] body, int position) {
        while (position < body.length && (body[position] == ' ' || body[position] == '\t')) {
            position++;
        }
        return position;
    }

    private static byte[] crlf(byte[] delimiter) {
        byte[] withCrlf = new byte[delimiter.length + 2];
        withCrlf[0] = '\r';
        withCrlf[1] = '\n';
        System.arraycopy(delimiter, 0, withCrlf, 2, delimiter.length);
        return withCrlf;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i + what.length <= body.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (body[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
