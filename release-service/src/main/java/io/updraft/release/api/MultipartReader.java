package io.updraft.release.api;

import io.updraft.support.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) part by part while it arrives: each part's content is an
 * {@link InputStream} that ends at the next boundary, so a file part can be written and hashed chunk by chunk and
 * never more than one buffer of the body is in memory. Malformed input is a 400.
 */
final class MultipartReader {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BLOCK = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]{1,70})\"|([^\\s;\"]{1,70}))");
    private static final Pattern PARAMETER = Pattern.compile(
            "(?i);\\s*([a-z*]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer;
    private int head;
    private int tail;
    private boolean started;
    private boolean finished;
    private PartContent current;

    /** One part: its form field name, the filename when it is a file, and its content up to the next boundary. */
    record Part(String name, String filename, InputStream content) {
        /** The whole content of a small (text) part; more than {@code max} bytes is a 400. */
        String text(int max) throws IOException {
            byte[] bytes = content.readNBytes(max + 1);
            if (bytes.length > max) {
                throw ProblemException.badRequest("part '" + name + "' is larger than " + max / 1024 + " KiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        byte[] bytes(int max) throws IOException {
            byte[] bytes = content.readNBytes(max + 1);
            if (bytes.length > max) {
                throw ProblemException.badRequest("part '" + name + "' is larger than " + max / 1024 + " KiB");
            }
            return bytes;
        }
    }

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buffer = new byte[BUFFER + delimiter.length];
        // the first boundary need not follow a line break: read the body as if one preceded it
        buffer[0] = '\r';
        buffer[1] = '\n';
        tail = 2;
    }

    /** The boundary parameter of a {@code multipart/form-data} Content-Type; anything else is a 400/415. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ProblemException(415, "Unsupported media type",
                    "send multipart/form-data (metadata, file, sha256, signature, artifacts parts)");
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw ProblemException.badRequest("multipart/form-data without a boundary parameter");
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** The next part, or null after the closing boundary. Whatever the caller left unread of the last part is skipped. */
    Part next() throws IOException {
        if (!started) {
            started = true;
            new PartContent().transferTo(OutputStream.nullOutputStream()); // the preamble
        } else if (current != null) {
            current.transferTo(OutputStream.nullOutputStream());
        }
        current = null;
        if (finished) {
            return null;
        }
        int first = readByte();
        int second = readByte();
        if (first == '-' && second == '-') {
            finished = true;
            drainEpilogue();
            return null;
        }
        while (first == ' ' || first == '\t') { // transport padding after the boundary
            first = second;
            second = readByte();
        }
        if (first != '\r' || second != '\n') {
            throw malformed("a boundary is not followed by a line break");
        }
        String disposition = headers();
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw malformed("a part has no Content-Disposition: form-data header");
        }
        String name = null;
        String filename = null;
        Matcher m = PARAMETER.matcher(disposition);
        while (m.find()) {
            String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
            switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "name" -> name = value;
                case "filename" -> filename = value;
                default -> {
                }
            }
        }
        if (name == null) {
            throw malformed("a part has no name");
        }
        current = new PartContent();
        return new Part(name, filename, current);
    }

    /** Reads the header block of a part; returns the Content-Disposition value (other headers do not matter here). */
    private String headers() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String disposition = null;
        int total = 0;
        while (true) {
            int b = readByte();
            if (++total > MAX_HEADER_BLOCK) {
                throw malformed("a part's headers are longer than 16 KiB");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty()) {
                return disposition;
            }
            int colon = text.indexOf(':');
            if (colon > 0 && text.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                disposition = text.substring(colon + 1).trim();
            }
        }
    }

    private int readByte() throws IOException {
        if (head == tail && !fill()) {
            throw malformed("the body ends before its closing boundary");
        }
        return buffer[head++] & 0xff;
    }

    /** Moves the unread bytes to the front and reads more; false at the end of the body. */
    private boolean fill() throws IOException {
        if (head > 0) {
            System.arraycopy(buffer, head, buffer, 0, tail - head);
            tail -= head;
            head = 0;
        }
        int read = in.read(buffer, tail, buffer.length - tail);
        while (read == 0) {
            read = in.read(buffer, tail, buffer.length - tail);
        }
        if (read < 0) {
            return false;
        }
        tail += read;
        return true;
    }

    private void drainEpilogue() throws IOException {
        head = tail;
        while (fill()) {
            head = tail;
        }
    }

    /** Where the delimiter starts in the unread bytes, or -1. */
    private int delimiterAt() {
        int last = tail - delimiter.length;
        outer:
        for (int i = head; i <= last; i++) {
            if (buffer[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static ProblemException malformed(String why) {
        return ProblemException.badRequest("malformed multipart/form-data body: " + why);
    }

    /** The bytes of one part, up to (not including) the line break before the next boundary. */
    private final class PartContent extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            while (true) {
                int at = delimiterAt();
                if (at == head) {
                    head += delimiter.length;
                    done = true;
                    return -1;
                }
                // without a delimiter in sight, keep its possible beginning at the end of the buffer for the next fill
                int available = at >= 0 ? at - head : tail - head - (delimiter.length - 1);
                if (available > 0) {
                    int n = Math.min(available, length);
                    System.arraycopy(buffer, head, target, offset, n);
                    head += n;
                    return n;
                }
                if (!fill()) {
                    throw malformed("the body ends before its closing boundary");
                }
            }
        }
    }
}
