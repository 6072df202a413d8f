package io.updraft.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.updraft.zchunk.ZchunkChunk;
import io.updraft.zchunk.ZchunkHeader;
import io.updraft.zchunk.ZchunkVerifier;
import io.updraft.zchunk.ZchunkWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DDI server offering one action (version {@value #V2}) with a plain image and its .zck made by {@link ZchunkWriter},
 * serving the .zck with single ranges and multi-range {@code multipart/byteranges} answers (parts in the order
 * asked, none coalesced), 416 beyond {@code maxRanges}. Records every range asked and counts every body byte sent.
 */
final class ZchunkGateway implements AutoCloseable {
    static final String V1 = "1.0.0";
    static final String V2 = "2.0.0";
    static final String BOUNDARY = "THIS_STRING_SEPARATES_zck";

    final byte[] v1;
    final byte[] v2;
    final byte[] zck;
    final ZchunkHeader header;
    volatile int maxRanges = 200;
    /** each artifact GET's Range header (null for a whole download), in order */
    final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
    final AtomicLong artifactBytesServed = new AtomicLong();
    final Map<String, List<String>> feedback = new ConcurrentHashMap<>();
    final Map<String, String> attributes = new ConcurrentHashMap<>();
    private final java.util.Set<String> finished = ConcurrentHashMap.newKeySet();
    private final HttpServer server;

    /** v1: {@code size} seeded random bytes; v2: v1 with the 4 KiB blocks {@code changedBlocks} rewritten. */
    ZchunkGateway(int size, int[] changedBlocks) throws Exception {
        Random random = new Random(11);
        v1 = new byte[size];
        random.nextBytes(v1);
        v2 = v1.clone();
        for (int block : changedBlocks) {
            byte[] fresh = new byte[4096];
            random.nextBytes(fresh);
            System.arraycopy(fresh, 0, v2, block * 4096, Math.min(4096, size - block * 4096));
        }
        Path scratch = Files.createTempDirectory("zck-test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header = ZchunkWriter.write(new ByteArrayInputStream(v2), out, scratch);
        Files.delete(scratch);
        zck = out.toByteArray();
        ZchunkVerifier.verify(new ByteArrayInputStream(zck));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String zckUrl() {
        return url() + "/DEFAULT/controller/v1/d/softwaremodules/1/artifacts/image.bin.zck";
    }

    /** Flips a byte inside the stored bytes of data chunk {@code number}, as a damaged store would. */
    void corruptChunk(int number) {
        ZchunkChunk chunk = header.chunks().get(number);
        zck[(int) (header.length() + chunk.offset() + chunk.length() / 2)] ^= 0x5a;
    }

    /** Every byte range asked for in a multi- or single-range GET, as {first, last}, in order. */
    List<long[]> rangesAsked() {
        List<long[]> all = new ArrayList<>();
        for (String header : rangeHeaders) {
            if (header != null) {
                all.addAll(parse(header));
            }
        }
        return all;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String device = path.replaceAll("^/DEFAULT/controller/v1/([^/]+).*", "$1");
            String base = url() + "/DEFAULT/controller/v1/" + device;
            String rest = path.substring(("/DEFAULT/controller/v1/" + device).length());
            if (rest.isEmpty()) {
                String links = finished.contains(device) ? "{}" : attributes.containsKey(device)
                        ? "{\"deploymentBase\":{\"href\":\"" + base + "/deploymentBase/1\"}}"
                        : "{\"configData\":{\"href\":\"" + base + "/configData\"},"
                                + "\"deploymentBase\":{\"href\":\"" + base + "/deploymentBase/1\"}}";
                json(exchange, "{\"config\":{\"polling\":{\"sleep\":\"00:00:01\"}},\"_links\":" + links + "}");
            } else if (rest.equals("/configData")) {
                attributes.put(device, body);
                json(exchange, "");
            } else if (rest.equals("/deploymentBase/1")) {
                String artifacts = artifact(base, "image.bin", v2) + "," + artifact(base, "image.bin.zck", zck);
                json(exchange, "{\"id\":\"1\",\"deployment\":{\"download\":\"forced\",\"update\":\"forced\","
                        + "\"chunks\":[{\"part\":\"os\",\"version\":\"" + V2 + "\",\"name\":\"img\",\"artifacts\":["
                        + artifacts + "]}]}}");
            } else if (rest.equals("/deploymentBase/1/feedback")) {
                String execution = body.replaceAll("(?s).*\"execution\"\\s*:\\s*\"([^\"]*)\".*", "$1");
                String result = body.replaceAll("(?s).*\"finished\"\\s*:\\s*\"([^\"]*)\".*", "$1");
                String detail = body.replaceAll("(?s).*\"details\"\\s*:\\s*\\[\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1");
                feedback.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>())
                        .add(execution + "/" + result + ": " + detail);
                if ("closed".equals(execution)) {
                    finished.add(device);
                }
                json(exchange, "");
            } else if (rest.equals("/softwaremodules/1/artifacts/image.bin")) {
                rangeHeaders.add(exchange.getRequestHeaders().getFirst("Range"));
                send(exchange, 200, v2);
            } else if (rest.equals("/softwaremodules/1/artifacts/image.bin.zck")) {
                serveZck(exchange);
            } else {
                json(exchange, "");
            }
        }
    }

    private String artifact(String base, String name, byte[] bytes) {
        String sha = HexFormat.of().formatHex(SourceImage.sha256().digest(bytes));
        return "{\"filename\":\"" + name + "\",\"hashes\":{\"sha256\":\"" + sha + "\"},\"size\":" + bytes.length
                + ",\"_links\":{\"download-http\":{\"href\":\"" + base + "/softwaremodules/1/artifacts/" + name
                + "\"}}}";
    }

    private void serveZck(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        rangeHeaders.add(range);
        if (range == null) {
            send(exchange, 200, zck);
            return;
        }
        List<long[]> ranges = parse(range);
        if (ranges.size() > maxRanges) {
            exchange.getResponseHeaders().add("Content-Range", "bytes */" + zck.length);
            send(exchange, 416, new byte[0]);
            return;
        }
        if (ranges.size() == 1) {
            long[] r = ranges.get(0);
            long last = Math.min(r[1], zck.length - 1L);
            exchange.getResponseHeaders().add("Content-Range", "bytes " + r[0] + "-" + last + "/" + zck.length);
            byte[] slice = java.util.Arrays.copyOfRange(zck, (int) r[0], (int) last + 1);
            send(exchange, 206, slice);
            return;
        }
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        for (long[] r : ranges) {
            multipart.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: bytes " + r[0] + "-" + r[1] + "/" + zck.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            multipart.write(zck, (int) r[0], (int) (r[1] - r[0] + 1));
        }
        multipart.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        exchange.getResponseHeaders().add("Content-Type", "multipart/byteranges; boundary=" + BOUNDARY);
        send(exchange, 206, multipart.toByteArray());
    }

    private static List<long[]> parse(String range) {
        List<long[]> ranges = new ArrayList<>();
        for (String spec : range.substring("bytes=".length()).split(",")) {
            String[] ends = spec.trim().split("-");
            ranges.add(new long[] {Long.parseLong(ends[0]), Long.parseLong(ends[1])});
        }
        return ranges;
    }

    private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
                artifactBytesServed.addAndGet(body.length);
            }
        }
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
