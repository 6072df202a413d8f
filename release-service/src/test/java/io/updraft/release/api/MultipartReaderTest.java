package io.updraft.release.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.Trickle;
import io.updraft.support.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String BOUNDARY = "b0undary-42";

    @Test
    void givenTextAndFileParts_whenReadInTinyChunks_thenEachPartHasExactlyItsBytes() throws Exception {
        byte[] file = new byte[300_000];
        new Random(1).nextBytes(file);
        // bytes that look like the start of a boundary must stay content
        byte[] tricky = ("a\r\n--" + BOUNDARY.substring(0, 5) + "\r\n--b0undary-4 \r\n-").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("preamble to ignore\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n{\"name\":\"x\"}\r\n--" + BOUNDARY + "  \r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"dir\\\\fw \\\"1\\\".swu\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=tricky\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(tricky);
        body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--"
                + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));

        List<Object[]> parts = readAll(new Trickle(body.toByteArray(), 700, 5));

        assertThat(parts).hasSize(4);
        assertThat(parts.get(0)).containsExactly("metadata", null, "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(parts.get(1)[0]).isEqualTo("file");
        assertThat(parts.get(1)[1]).isEqualTo("dir\\fw \"1\".swu");
        assertThat((byte[]) parts.get(1)[2]).isEqualTo(file);
        assertThat((byte[]) parts.get(2)[2]).isEqualTo(tricky);
        assertThat((byte[]) parts.get(3)[2]).isEmpty();
    }

    @Test
    void givenABodyCutBeforeItsClosingBoundary_whenRead_thenA400() {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
                + "some bytes but no end").getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("closing boundary")
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
    }

    @Test
    void givenAPartWithoutContentDisposition_whenRead_thenA400() {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--")
                .getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("Content-Disposition");
    }

    @Test
    void givenContentTypes_whenTakingTheBoundary_thenQuotedAndPlainWorkAndOthersAreRefused() {
        assertThat(MultipartReader.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartReader.boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\"")).isEqualTo("a b:c");
        assertThatThrownBy(() -> MultipartReader.boundary("multipart/form-data"))
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> MultipartReader.boundary("application/json"))
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(415));
    }

    @Test
    void givenABodyPastTheLimit_whenCounted_thenA413OnTheReadThatCrossesItAndNothingFurtherIsRead() throws Exception {
        ByteArrayInputStream source = new ByteArrayInputStream(new byte[10_000]);
        LimitedBody body = new LimitedBody(source, 4_000);

        assertThat(body.readNBytes(4_000)).hasSize(4_000);
        assertThatThrownBy(() -> body.read(new byte[8192])).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(413))
                .hasMessageContaining("updraft.upload.max-size");
        assertThat(source.available()).as("one byte past the limit was read, no more").isEqualTo(5_999);
    }

    /** [name, filename, content] of every part. */
    private static List<Object[]> readAll(InputStream body) throws Exception {
        MultipartReader reader = new MultipartReader(body, BOUNDARY);
        List<Object[]> parts = new ArrayList<>();
        for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
            parts.add(new Object[] { part.name(), part.filename(), part.content().readAllBytes() });
        }
        return parts;
    }
}
