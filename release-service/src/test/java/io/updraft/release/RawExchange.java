package io.updraft.release;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP/1.1 request over a plain socket whose body the test writes itself, on its own thread (pausing, or changing
 * the world between two writes), while the answer is read on the caller's: a server may answer an upload before its
 * body ends, and an HTTP client library would not show that answer while it is still sending.
 */
public final class RawExchange {
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);

    private RawExchange() {
    }

    /** Writes the request body; {@code answered} turns true once the server's answer has arrived. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out, Answered answered) throws Exception;
    }

    @FunctionalInterface
    public interface Answered {
        boolean yet();
    }

    /**
     * @param bodyBytesSentBeforeAnswer body bytes written to the socket before the answer arrived
     * @param bodyStoppedBy why writing the body stopped early (the server closed the connection), or null
     */
    public record Answer(int status, Map<String, String> headers, String body, long millis,
            long bodyBytesSentBeforeAnswer, String bodyStoppedBy) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code headers} must not carry Content-Length or Transfer-Encoding: {@code length} null means chunked. */
    public static Answer send(URL server, String method, String pathAndQuery, Map<String, String> headers, Long length,
            Body body) throws Exception {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: "
                    + server.getHost() + ":" + server.getPort() + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(length == null ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n");
            OutputStream socketOut = socket.getOutputStream();
            socketOut.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socketOut.flush();

            AtomicLong sent = new AtomicLong();
            AtomicLong sentAtAnswer = new AtomicLong(-1);
            AtomicReference<String> stoppedBy = new AtomicReference<>();
            long started = System.nanoTime();
            Thread writer = new Thread(() -> {
                Chunked chunked = length == null ? new Chunked(socketOut) : null;
                try {
                    body.writeTo(new Counting(chunked == null ? socketOut : chunked, sent), () -> sentAtAnswer.get() >= 0);
                    if (chunked != null) {
                        chunked.finish();
                    }
                    socketOut.flush();
                } catch (Exception e) {
                    stoppedBy.set(e.toString());
                }
            }, "raw-exchange-body");
            writer.setDaemon(true);
            writer.start();

            InputStream in = socket.getInputStream();
            int first = in.read(); // blocks until the answer starts
            sentAtAnswer.set(sent.get());
            long millis = (System.nanoTime() - started) / 1_000_000;
            Answer answer = read(first, in, millis, sentAtAnswer.get(), stoppedBy);
            socket.close(); // unblocks a writer still sending into a connection the server stopped reading
            writer.join(ANSWER_TIMEOUT.toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
            }
            return new Answer(answer.status(), answer.headers(), answer.body(), answer.millis(),
                    answer.bodyBytesSentBeforeAnswer(), stoppedBy.get());
        }
    }

    private static Answer read(int first, InputStream in, long millis, long sentAtAnswer,
            AtomicReference<String> stoppedBy) throws IOException {
        if (first < 0) {
            throw new IOException("the server closed the connection without an answer (body: " + stoppedBy.get() + ")");
        }
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        headBytes.write(first);
        while (!headBytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the answer ended inside its headers: " + headBytes);
            }
            headBytes.write(b);
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), millis, sentAtAnswer, null);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return body.toByteArray();
                }
                size.append((char) b);
            }
            int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            in.readNBytes(2);
        }
    }

    private static final class Counting extends FilterOutputStream {
        private final AtomicLong count;

        Counting(OutputStream out, AtomicLong count) {
            super(out);
            this.count = count;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }
    }

    /** Transfer-Encoding: chunked, one chunk per write. */
    private static final class Chunked extends FilterOutputStream {
        Chunked(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        void finish() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
