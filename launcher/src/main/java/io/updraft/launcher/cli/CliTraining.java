package io.updraft.launcher.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.updraft.devstack.DevKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the CLI's class-data-sharing archive: the build runs this class once under
 * {@code -XX:ArchiveClassesAtExit=target/updraft-cli.jsa}, so every class the common commands load (picocli's model,
 * the JDK HTTP client and its TLS-free path, Jackson's tree, the printers) is archived, and {@code ./updraft release
 * list} or {@code rollout status} start from mapped classes instead of parsing and verifying them again. It answers
 * the commands from a loopback server with documents of the APIs' shapes; nothing leaves the machine, nothing is
 * printed. Exit status 0 only if every command ran as it would against the services.
 */
public final class CliTraining {
    private static final String RELEASE = """
            {"id":"r-1","name":"gateway-fw","version":"1.2.0","state":"STABLE","createdAt":"2026-01-01T00:00:00Z",
             "hardware":[{"model":"gw-100","revision":"1.0"}],
             "artifacts":[{"filename":"image.swu","size":1024,"sha256":"00","sha1":"00","md5":"00"}]}""";
    private static final String ROLLOUT = """
            {"id":"3f2c6a1e-0000-4000-8000-000000000001","name":"fw-1.2.0","releaseId":"r-1","version":"1.2.0",
             "state":"RUNNING","currentWave":1,"createdAt":"2026-01-01T00:00:00Z",
             "waves":[{"wave":1,"state":"RUNNING","devices":10,"succeeded":4,"failed":1,"running":5},
                      {"wave":2,"state":"PENDING","devices":90,"succeeded":0,"failed":0,"running":0}],
             "cohorts":[{"cohort":"gw-100:1.0","devices":100,"state":"ACTIVE"}]}""";
    private static final String DEVICE = """
            {"deviceId":"dev-1","model":"gw-100","revision":"1.0","installedVersion":"1.1.0",
             "attributes":{"region":"eu"},"lastSeenAt":"2026-01-01T00:00:00Z"}""";

    private CliTraining() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", CliTraining::answer);
        server.start();
        try {
            // by name, as users and ./updraft up write service URLs: the name lookup's classes are archived too
            String url = "http://localhost:" + server.getAddress().getPort();
            // what executeOnConsole does before the command line: the console check and a copy of the environment
            if (System.console() == null) {
                Map.copyOf(System.getenv());
            }
            // as after ./updraft up: no token given, the CLI signs one with the local key (RSA, PKCS#8 parsing)
            Path root = Files.createTempDirectory("updraft-cli-training");
            DevKeys.in(root.resolve(".updraft/local/keys"));
            Map<String, String> env = Map.of("COLUMNS", "120");
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            String[][] commands = {
                { "release", "list" },
                { "--output", "json", "release", "list" },
                { "release", "show", "r-1" },
                { "rollout", "list" },
                { "rollout", "status", "3f2c6a1e-0000-4000-8000-000000000001" },
                { "rollout", "show", "fw-1.2.0" },
                { "devices", "list" },
            };
            for (String[] command : commands) {
                String[] line = new String[command.length + 2];
                line[0] = "--url";
                line[1] = url;
                System.arraycopy(command, 0, line, 2, command.length);
                int status = UpdraftCli.execute(root, env, nowhere, nowhere, line);
                if (status != 0) {
                    System.err.println("CLI training: " + String.join(" ", command) + " exited " + status);
                    System.exit(1);
                }
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        if (path.equals("/api/v1/releases")) {
            body = "[" + RELEASE + "]";
        } else if (path.startsWith("/api/v1/releases/")) {
            body = RELEASE;
        } else if (path.equals("/api/v1/rollouts")) {
            body = "[" + ROLLOUT + "]";
        } else if (path.startsWith("/api/v1/rollouts/")) {
            body = ROLLOUT;
        } else if (path.equals("/api/v1/devices")) {
            body = "{\"items\":[" + DEVICE + "],\"total\":1,\"page\":0,\"size\":100}";
        } else {
            body = "[]";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
