package io.updraft.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a DDI server to watch the simulator: every device is offered one action (id 1, version
 * {@code 1.2.0}) until it reports a final result; the artifact is served with single-range support.
 */
final class FakeGateway implements AutoCloseable {
    static final String VERSION = "1.2.0";
    private static final Pattern PATH = Pattern.compile("/DEFAULT/controller/v1/([^/]+)(/.*)?");

    final byte[] artifact = new byte[200_000];
    final String sha256;
    final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    final Map<String, List<String>> feedback = new ConcurrentHashMap<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> health = new ConcurrentHashMap<>();
    final Set<String> finished = ConcurrentHashMap.newKeySet();
    /** While positive, a final feedback or an artifact download is answered 503 + Retry-After: 1 (and counted down). */
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final HttpServer server;

    FakeGateway() throws Exception {
        new Random(3).nextBytes(artifact);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(artifact));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int polls(String device) {
        return polls.getOrDefault(device, new AtomicInteger()).get();
    }

    List<String> feedback(String device) {
        return feedback.getOrDefault(device, List.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher matcher = PATH.matcher(exchange.getRequestURI().getPath());
            if (!matcher.matches()) {
                reply(exchange, 404, "");
                return;
            }
            String device = matcher.group(1);
            String rest = matcher.group(2) == null ? "" : matcher.group(2);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String base = url() + "/DEFAULT/controller/v1/" + device;
            if (rest.isEmpty()) {
                polls.computeIfAbsent(device, d -> new AtomicInteger()).incrementAndGet();
                String links = finished.contains(device) ? "{}"
                        : "{\"deploymentBase\":{\"href\":\"" + base + "/deploymentBase/1?c=7\"}}";
                reply(exchange, 200, "{\"config\":{\"polling\":{\"sleep\":\"00:00:01\"}},\"_links\":" + links + "}");
            } else if (rest.equals("/deploymentBase/1")) {
                String href = base + "/softwaremodules/1/artifacts/fw.swu";
                reply(exchange, 200, "{\"id\":\"1\",\"deployment\":{\"download\":\"forced\",\"update\":\"forced\","
                        + "\"chunks\":[{\"part\":\"os\",\"version\":\"" + VERSION + "\",\"name\":\"fw\",\"artifacts\":"
                        + "[{\"filename\":\"fw.swu\",\"hashes\":{\"sha256\":\"" + sha256 + "\"},\"size\":"
                        + artifact.length + ",\"_links\":{\"download-http\":{\"href\":\"" + href + "\"}}}]}]}}");
            } else if (rest.equals("/deploymentBase/1/feedback") && "closed".equals(field(body, "execution"))
                    && refuse(exchange)) {
                return;
            } else if (rest.equals("/softwaremodules/1/artifacts/fw.swu") && refuse(exchange)) {
                return;
            } else if (rest.equals("/deploymentBase/1/feedback")) {
                String execution = field(body, "execution");
                String result = field(body, "finished");
                feedback.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(execution + "/" + result);
                if ("closed".equals(execution)) {
                    finished.add(device);
                }
                reply(exchange, 200, "");
            } else if (rest.equals("/softwaremodules/1/artifacts/fw.swu")) {
                serveArtifact(exchange);
            } else if (rest.equals("/health")) {
                health.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(body);
                reply(exchange, 204, null);
            } else {
                reply(exchange, 200, "");
            }
        }
    }

    /** 503 problem+json with Retry-After while {@link #unavailable} lasts. */
    private boolean refuse(HttpExchange exchange) throws IOException {
        if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return false;
        }
        refused.incrementAndGet();
        exchange.getResponseHeaders().add("Retry-After", "1");
        reply(exchange, 503, "{\"status\":503,\"title\":\"Service Unavailable\"}");
        return true;
    }

    private void serveArtifact(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            ranges.add(range);
            from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (artifact.length - 1) + "/" + artifact.length);
        }
        exchange.sendResponseHeaders(range == null ? 200 : 206, artifact.length - from);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(artifact, from, artifact.length - from);
        } catch (IOException cutByTheClient) {
            // the simulated device hung up on purpose
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
