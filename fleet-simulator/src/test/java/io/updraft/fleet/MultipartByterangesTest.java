package io.updraft.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9110 §14.6 multipart/byteranges bodies, parsed by each part's Content-Range. */
class MultipartByterangesTest {
    private static final String TYPE = "multipart/byteranges; boundary=B0UND";
    private static final byte[] FILE = new byte[1000];

    static {
        for (int i = 0; i < FILE.length; i++) {
            FILE[i] = (byte) (i * 7);
        }
    }

    private static byte[] body(String preamble, long[]... ranges) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
        for (long[] r : ranges) {
            out.writeBytes(("\r\n--B0UND\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes " + r[0]
                    + "-" + r[1] + "/1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(FILE, (int) r[0], (int) (r[1] - r[0] + 1));
        }
        out.writeBytes("\r\n--B0UND--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] data(byte[] body, MultipartByteranges.Part part) {
        return Arrays.copyOfRange(body, part.offset(), part.offset() + part.length());
    }

    @Test
    void partsComeBackInTheOrderAskedWithTheirBytes() throws Exception {
        byte[] body = body("", new long[] {500, 599}, new long[] {0, 9}, new long[] {990, 999});
        List<MultipartByteranges.Part> parts = MultipartByteranges.parse(TYPE, body);
        assertThat(parts).extracting(MultipartByteranges.Part::first).containsExactly(500L, 0L, 990L);
        assertThat(data(body, parts.get(0))).isEqualTo(Arrays.copyOfRange(FILE, 500, 600));
        assertThat(data(body, parts.get(1))).isEqualTo(Arrays.copyOfRange(FILE, 0, 10));
        assertThat(data(body, parts.get(2))).isEqualTo(Arrays.copyOfRange(FILE, 990, 1000));
    }

    @Test
    void aBoundaryInsideThePartDataDoesNotEndThePart() throws Exception {
        byte[] inside = "xx\r\n--B0UND\r\nContent-Range: bytes 0-1/1000\r\n\r\nyy".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(inside, 0, FILE, 100, inside.length);
        byte[] body = body("", new long[] {100, 199}, new long[] {300, 301});
        List<MultipartByteranges.Part> parts = MultipartByteranges.parse(TYPE, body);
        assertThat(parts).hasSize(2);
        assertThat(data(body, parts.get(0))).isEqualTo(Arrays.copyOfRange(FILE, 100, 200));
        assertThat(parts.get(1).first()).isEqualTo(300);
    }

    @Test
    void aPreambleAndAQuotedBoundaryAreAccepted() throws Exception {
        byte[] body = body("This is a preamble", new long[] {1, 2}, new long[] {5, 6});
        assertThat(MultipartByteranges.parse("Multipart/ByteRanges; charset=x; boundary=\"B0UND\"", body))
                .extracting(MultipartByteranges.Part::first).containsExactly(1L, 5L);
    }

    @Test
    void malformedAnswersAreRefused() {
        byte[] good = body("", new long[] {0, 9}, new long[] {20, 29});
        String text = new String(good, StandardCharsets.ISO_8859_1);
        assertRefused("application/octet-stream", good, "not multipart/byteranges");
        assertRefused("multipart/byteranges", good, "not multipart/byteranges");
        assertRefused("multipart/byteranges; boundary=OTHER", good, "no opening boundary");
        // a part without Content-Range
        assertRefused(TYPE, text.replaceFirst("Content-Range: bytes 0-9/1000\r\n", "")
                .getBytes(StandardCharsets.ISO_8859_1), "without Content-Range");
        // a range that is not one
        assertRefused(TYPE, text.replace("bytes 20-29/1000", "bytes 29-20/1000").getBytes(StandardCharsets.ISO_8859_1),
                "not a range");
        // a part shorter than its Content-Range: the next boundary is not where the length says
        assertRefused(TYPE, text.replace("bytes 0-9/1000", "bytes 0-12/1000").getBytes(StandardCharsets.ISO_8859_1),
                "no boundary right after");
        // cut before the closing delimiter
        assertRefused(TYPE, Arrays.copyOf(good, good.length - 12), "");
        // no parts at all
        assertRefused(TYPE, "\r\n--B0UND--\r\n".getBytes(StandardCharsets.ISO_8859_1), "without parts");
    }

    private static void assertRefused(String type, byte[] body, String reason) {
        assertThatThrownBy(() -> MultipartByteranges.parse(type, body))
                .isInstanceOf(MultipartByteranges.Malformed.class).hasMessageContaining(reason);
    }
}
