package io.updraft.release.service.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for an S3-compatible object store (no real one can run in this build: no Docker, no MinIO binary):
 * path-style PUT / HEAD / GET with single byte ranges / DELETE, server-side copy (PUT with x-amz-copy-source), SigV4
 * Authorization checked against its own secret (every x-amz-* header must be signed, as S3 wants), and the PUT
 * payload checked against x-amz-content-sha256 (S3's XAmzContentSHA256Mismatch). Objects live in a directory.
 */
final class FakeS3 implements AutoCloseable {
    private static final Pattern CREDENTIAL = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/s3/"
            + "aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final HttpServer server;
    private final Path dir;
    private final String accessKey;
    private final SigV4 signer;
    final List<String> requests = new CopyOnWriteArrayList<>();

    FakeS3(Path dir, String accessKey, String secretKey, String region) throws IOException {
        this.dir = dir;
        this.accessKey = accessKey;
        this.signer = new SigV4(accessKey, secretKey, region);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(method + " " + path);
            if (!authorized(exchange, method, path)) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            Path object = object(path);
            switch (method) {
                case "PUT" -> {
                    String source = exchange.getRequestHeaders().getFirst("x-amz-copy-source");
                    if (source != null) {
                        copy(exchange, object(source));
                    } else {
                        put(exchange, object);
                    }
                }
                case "DELETE" -> {
                    Files.deleteIfExists(object);
                    exchange.sendResponseHeaders(204, -1);
                }
                case "HEAD" -> {
                    if (!Files.exists(object)) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Length", String.valueOf(Files.size(object)));
                    exchange.sendResponseHeaders(200, -1);
                }
                case "GET" -> get(exchange, object);
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private boolean authorized(HttpExchange exchange, String method, String path) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String date = exchange.getRequestHeaders().getFirst("x-amz-date");
        String payload = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
        Matcher m = authorization == null ? null : CREDENTIAL.matcher(authorization);
        if (m == null || !m.matches() || date == null || payload == null || !m.group(1).equals(accessKey)) {
            return false;
        }
        java.util.Map<String, String> extra = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("x-amz-") && !lower.equals("x-amz-date") && !lower.equals("x-amz-content-sha256")) {
                extra.put(lower, values.get(0));
            }
        });
        String expected = signer.authorization(method, path, exchange.getRequestHeaders().getFirst("Host"), payload,
                date, extra);
        return expected.equals(authorization);
    }

    private Path object(String path) {
        return dir.resolve(path.substring(1).replace('/', '_'));
    }

    private void copy(HttpExchange exchange, Path source) throws IOException {
        if (!Files.exists(source)) {
            byte[] error = "<Error><Code>NoSuchKey</Code></Error>".getBytes();
            exchange.sendResponseHeaders(404, error.length);
            exchange.getResponseBody().write(error);
            return;
        }
        Path object = object(exchange.getRequestURI().getRawPath());
        Files.copy(source, object, StandardCopyOption.REPLACE_EXISTING);
        byte[] result = "<CopyObjectResult><ETag>\"x\"</ETag></CopyObjectResult>".getBytes();
        exchange.sendResponseHeaders(200, result.length);
        exchange.getResponseBody().write(result);
    }

    /** The object keys the bucket holds (as file names: '/' replaced by '_'). */
    List<String> objects() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".upload")).sorted().toList();
        }
    }

    private void put(HttpExchange exchange, Path object) throws IOException {
        Path temp = Files.createTempFile(dir, ".upload", "");
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(exchange.getRequestBody(), sha256)) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!HexFormat.of().formatHex(sha256.digest())
                .equals(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"))) {
            Files.delete(temp);
            byte[] error = "<Error><Code>XAmzContentSHA256Mismatch</Code></Error>".getBytes();
            exchange.sendResponseHeaders(400, error.length);
            exchange.getResponseBody().write(error);
            return;
        }
        Files.move(temp, object, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        exchange.sendResponseHeaders(200, -1);
    }

    private void get(HttpExchange exchange, Path object) throws IOException {
        if (!Files.exists(object)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] bytes = Files.readAllBytes(object);
        String range = exchange.getRequestHeaders().getFirst("Range");
        int first = 0;
        int last = bytes.length - 1;
        int status = 200;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            first = Integer.parseInt(m.group(1));
            last = Math.min(Integer.parseInt(m.group(2)), bytes.length - 1);
            status = 206;
        }
        exchange.sendResponseHeaders(status, last - first + 1);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes, first, last - first + 1);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
