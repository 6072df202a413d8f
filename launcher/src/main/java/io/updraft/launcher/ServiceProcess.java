package io.updraft.launcher;

import io.updraft.devstack.DevStack;
import io.updraft.devstack.JavaProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running as its own process. */
public final class ServiceProcess {
    private final String name;
    private final int port;
    private final Path jar;
    private final Path log;
    private final Map<String, String> config;
    private JavaProcess process;

    public ServiceProcess(String name, int port, Path repoRoot, Path logDir, Map<String, String> config) {
        this(name, name, port, repoRoot, logDir, config);
    }

    /** @param instance names the log file, so a second instance of a service logs apart ({@code rollout-service-2}) */
    public ServiceProcess(String name, String instance, int port, Path repoRoot, Path logDir,
            Map<String, String> config) {
        this.name = name;
        this.port = port;
        this.jar = repoRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        this.log = logDir.resolve(instance + ".log");
        this.config = Map.copyOf(config);
    }

    public ServiceProcess start() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        process = JavaProcess.jar(name, jar).jvmOptions(jvmOptions(System.getProperty(DevStack.PROFILE_PROPERTY, "")))
                .systemProperty("quarkus.http.port", String.valueOf(port)).systemProperties(config).log(log).start();
        return this;
    }

    /**
     * A service JVM's options: the quick-start default (C1 only, serial GC, 320 MiB — the demo starts four services
     * on a laptop), or with {@code -Dupdraft.stack.profile=benchmark} the full JIT and 512 MiB, as a service runs for
     * real (the end-to-end benchmark measures steady state, not start-up).
     */
    public static List<String> jvmOptions(String profile) {
        if ("benchmark".equals(profile)) {
            return List.of("-Xmx512m", "-XX:+UseSerialGC");
        }
        return List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    /** Waits until {@code /q/health/ready} answers 200 (migrations done, Kafka reachable). */
    public void awaitReady(Duration timeout) {
        process.awaitHttp200(url() + "/q/health/ready", timeout);
    }

    /** SIGKILL: no shutdown hook, no graceful anything — what a crash looks like. */
    public void kill9() throws InterruptedException {
        process.kill9();
    }

    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        return process == null ? "(not started)" : process.logTail(lines);
    }
}
