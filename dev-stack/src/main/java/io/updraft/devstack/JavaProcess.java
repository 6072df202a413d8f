package io.updraft.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child JVM, the one way Updraft starts one: the dev stack's broker and database, a packaged service
 * ({@code quarkus-run.jar}) for the launcher, the end-to-end tests and the benchmarks. Output goes to a log file
 * (appended), readiness is awaited on a condition while the child is alive, and stopping is SIGTERM with a grace
 * period, then SIGKILL.
 */
public final class JavaProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** A JVM running {@code java -jar jar}. */
    public static Builder jar(String name, Path jar) {
        return new Builder(name, List.of("-jar", jar.toString()));
    }

    /** A JVM running {@code java -cp classPath mainClass}. */
    public static Builder mainClass(String name, String classPath, String mainClass) {
        return new Builder(name, List.of("-cp", classPath, mainClass));
    }

    public static final class Builder {
        private final String name;
        private final List<String> launch;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> arguments = new ArrayList<>();
        private Path log;

        private Builder(String name, List<String> launch) {
            this.name = name;
            this.launch = launch;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        public Builder systemProperties(Map<String, String> properties) {
            systemProperties.putAll(properties);
            return this;
        }

        public Builder arguments(List<String> more) {
            arguments.addAll(more);
            return this;
        }

        /** Where stdout and stderr go (appended; the directory is created). */
        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(launch);
            command.addAll(arguments);
            return command;
        }

        public JavaProcess start() {
            if (log == null) {
                throw new IllegalStateException(name + ": no log file given");
            }
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                Process process = new ProcessBuilder(command()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                return new JavaProcess(name, process, log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Waits until {@code ready} holds, checking every 100 ms; fails with the log's tail if the child exits first or
     * the timeout passes (the child is then killed).
     */
    public void awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail(40));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail(40));
    }

    /** Waits until a GET of {@code url} answers 200. */
    public void awaitHttp200(String url, Duration timeout) {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        awaitReady(timeout, () -> {
            try {
                return HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL: no shutdown hook, no graceful anything — what a crash looks like. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
