package io.updraft.e2e.swupdate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain file server on loopback, in the test JVM, answering what SWUpdate's delta handler asks of the server that
 * holds the {@code .zck}: {@code GET} with {@code Range: bytes=a-b[,c-d…]}, one range as 206 with Content-Range, several
 * as 206 {@code multipart/byteranges} (RFC 9110 §14.6; lowercase boundary — SWUpdate 2022.12 lowercases the header
 * before it reads the boundary). No validation beyond what the test needs: it stands in for any range-capable server,
 * so the agent's behaviour can be checked without the Updraft services. Counts the body bytes it sent.
 */
public final class RangeFileServer implements AutoCloseable {
    private final HttpServer server;
    private final byte[] content;
    private final String name;
    private final AtomicLong bodyBytes = new AtomicLong();
    private final List<String> ranges = new CopyOnWriteArrayList<>();

    private RangeFileServer(Path file) throws IOException {
        this.content = Files.readAllBytes(file);
        this.name = file.getFileName().toString();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public static RangeFileServer serving(Path file) throws IOException {
        return new RangeFileServer(file);
    }

    /** The file's URL. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/" + name;
    }

    /** Body bytes sent so far (multipart framing included). */
    public long bodyBytes() {
        return bodyBytes.get();
    }

    /** The Range headers received, in order. */
    public List<String> ranges() {
        return List.copyOf(ranges);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/" + name)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            byte[] body;
            if (range == null) {
                body = content;
                exchange.sendResponseHeaders(200, body.length);
            } else {
                ranges.add(range);
                List<long[]> parts = parse(range);
                if (parts.isEmpty()) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                if (parts.size() == 1) {
                    long[] part = parts.get(0);
                    body = slice(part);
                    exchange.getResponseHeaders().set("Content-Range", contentRange(part));
                } else {
                    String boundary = HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)).substring(0, 8)
                            + Long.toHexString(System.nanoTime());
                    ByteArrayOutputStream multipart = new ByteArrayOutputStream();
                    for (long[] part : parts) {
                        multipart.writeBytes(("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                                + "Content-Range: " + contentRange(part) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        multipart.writeBytes(slice(part));
                    }
                    multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                    body = multipart.toByteArray();
                    exchange.getResponseHeaders().set("Content-Type", "multipart/byteranges; boundary=" + boundary);
                }
                exchange.sendResponseHeaders(206, body.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            bodyBytes.addAndGet(body.length);
        }
    }

    private List<long[]> parse(String header) {
        List<long[]> parts = new ArrayList<>();
        if (!header.startsWith("bytes=")) {
            return parts;
        }
        for (String spec : header.substring("bytes=".length()).split(",")) {
            String[] bounds = spec.trim().split("-", -1);
            long first = Long.parseLong(bounds[0]);
            long last = bounds[1].isEmpty() ? content.length - 1 : Math.min(Long.parseLong(bounds[1]), content.length - 1);
            if (first <= last) {
                parts.add(new long[] {first, last});
            }
        }
        return parts;
    }

    private byte[] slice(long[] part) {
        byte[] bytes = new byte[(int) (part[1] - part[0] + 1)];
        System.arraycopy(content, (int) part[0], bytes, 0, bytes.length);
        return bytes;
    }

    private String contentRange(long[] part) {
        return "bytes " + part[0] + "-" + part[1] + "/" + content.length;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
