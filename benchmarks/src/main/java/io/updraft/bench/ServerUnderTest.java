package io.updraft.bench;

import io.updraft.devstack.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A packaged Quarkus application ({@code quarkus-run.jar}) in its own JVM, started the same way for both servers. */
final class ServerUnderTest implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final List<String> jvmFlags;
    private final Map<String, String> config;
    private final Path log;
    private JavaProcess process;

    ServerUnderTest(String name, Path jar, int port, List<String> jvmFlags, Map<String, String> config, Path log) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.config = Map.copyOf(config);
        this.log = log;
    }

    ServerUnderTest start() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (see benchmarks/README.md)");
        }
        process = JavaProcess.jar(name, jar).jvmOptions(jvmFlags)
                .systemProperty("quarkus.http.port", String.valueOf(port)).systemProperties(config).log(log).start();
        process.awaitHttp200(url() + readinessPath(), Duration.ofSeconds(180));
        return this;
    }

    /** The gateway has health checks; the bare app has nothing but its one endpoint. */
    private String readinessPath() {
        return config.containsKey("quarkus.datasource.jdbc.url") ? "/q/health/ready" : "/DEFAULT/controller/v1/probe";
    }

    String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
