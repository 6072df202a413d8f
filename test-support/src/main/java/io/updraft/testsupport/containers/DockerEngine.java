package io.updraft.testsupport.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Docker engine answers on this machine's socket, asked with two plain HTTP requests so that the answer
 * costs milliseconds and no Testcontainers start-up when there is none.
 */
public final class DockerEngine {
    private static final Pattern API_VERSION = Pattern.compile("\"ApiVersion\"\\s*:\\s*\"([0-9.]+)\"");

    private DockerEngine() {
    }

    /** True when the engine's socket ({@code DOCKER_HOST=unix://...} or /var/run/docker.sock) answers a ping. */
    public static boolean answers() {
        String response = request("/_ping");
        return response != null && response.startsWith("HTTP/1.") && response.contains(" 200 ");
    }

    /**
     * Testcontainers 2 talks API 1.44 unless told otherwise; Debian's docker.io (20.10) serves at most 1.41. Tell
     * docker-java the engine's own version when it is older, so every request is one the engine accepts.
     */
    static void prepareClient() {
        if (System.getProperty("api.version") != null) {
            return;
        }
        String response = request("/version");
        if (response == null) {
            return;
        }
        Matcher version = API_VERSION.matcher(response);
        if (version.find() && compare(version.group(1), "1.44") < 0) {
            System.setProperty("api.version", version.group(1));
        }
    }

    /**
     * Testcontainers reads these three only from the environment: without them it would pull Ryuk's image and
     * alpine's (for its checks, and for the gateway lookup on a machine that is itself a container) from a registry
     * this machine cannot reach, and wait minutes before failing. The root pom's Failsafe sets them.
     */
    static void requireOfflineSettings() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String name : java.util.List.of("TESTCONTAINERS_RYUK_DISABLED", "TESTCONTAINERS_CHECKS_DISABLE")) {
            if (!Boolean.parseBoolean(System.getenv(name))) {
                missing.add(name + "=true");
            }
        }
        if (System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null) {
            missing.add("TESTCONTAINERS_HOST_OVERRIDE=localhost");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("set " + String.join(" ", missing) + " in the test JVM's environment (the"
                    + " root pom's Failsafe does): no image registry is reachable, so Testcontainers must not pull");
        }
    }

    private static String request(String path) {
        Path socket = socket();
        if (socket == null || !Files.exists(socket)) {
            return null;
        }
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                while (channel.read(buffer) > 0 && bytes.size() < 1 << 20) {
                    bytes.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        });
        try {
            return answer.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            answer.cancel(true);
            return null;
        }
    }

    private static Path socket() {
        String host = System.getenv("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            return Path.of("/var/run/docker.sock");
        }
        return host.startsWith("unix://") ? Path.of(host.substring("unix://".length())) : null;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
