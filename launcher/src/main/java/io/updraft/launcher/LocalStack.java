package io.updraft.launcher;

import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Kafka + PostgreSQL (dev-stack) and the four packaged services as separate processes, wired together, and on request
 * the operator console in front of them ({@link #startConsole()}). Secrets (JWT key pair, artifact URL key, gateway
 * token) are generated on first use under {@code home} and never committed; the gateway's delta-link key is new on
 * every run.
 */
public final class LocalStack implements AutoCloseable {
    public static final List<String> SERVICES = List.of("release-service", "rollout-service", "device-gateway",
            "telemetry-service");
    private static final Map<String, String> DATABASES = Map.of("release-service", "release", "rollout-service",
            "rollout", "device-gateway", "gateway", "telemetry-service", "telemetry");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("release-service", 8081, "rollout-service", 8082,
            "device-gateway", 8083, "telemetry-service", 8084);
    /** The operator console's module, which names its jar and log like a service's. */
    public static final String CONSOLE = "console";
    /** The console's port when the services take 8081..8084 (its own default). */
    static final int CONSOLE_PORT = 8080;

    private final Path home;
    private final Path repoRoot;
    private final DevStack stack;
    private final DevKeys keys;
    private final Path jwks;
    private final Properties secrets;
    /** HMAC key of the gateway's delta links, new on every run (links minted before a restart stop verifying). */
    private final String deltaLinkKey = newDeltaLinkKey();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final Map<String, String> tuning;
    private final boolean tiedToThisJvm;
    private final boolean fixedPorts;
    private ServiceProcess console;

    private LocalStack(Path home, Path repoRoot, DevStack stack, Map<String, String> tuning, boolean tiedToThisJvm,
            boolean fixedPorts) {
        this.tiedToThisJvm = tiedToThisJvm;
        this.fixedPorts = fixedPorts;
        this.home = home;
        this.repoRoot = repoRoot;
        this.stack = stack;
        this.keys = DevKeys.in(home.resolve("keys"));
        this.jwks = DevJwks.write(keys);
        this.secrets = loadOrCreateSecrets(home.resolve("secrets.properties"));
        this.tuning = Map.copyOf(tuning);
    }

    /**
     * Starts everything and waits until every service is ready.
     *
     * @param tiedToThisJvm the stack dies with this JVM (demo, tests); false for {@code ./updraft up}
     * @param fixedPorts 8081..8084 (up) instead of free ports (demo, tests)
     * @param tuning extra {@code -D} settings for every service (short polling and soak times for the demo)
     */
    public static LocalStack start(Path home, Path repoRoot, boolean tiedToThisJvm, boolean fixedPorts,
            Map<String, String> tuning) {
        for (int attempt = 1;; attempt++) {
            try {
                return startOnce(home, repoRoot, tiedToThisJvm, fixedPorts, tuning);
            } catch (IllegalStateException e) {
                // another process took a port between our check and the bind: start again on other ports
                if (fixedPorts || attempt == 3 || !portRace(e)) {
                    throw e;
                }
            }
        }
    }

    private static LocalStack startOnce(Path home, Path repoRoot, boolean tiedToThisJvm, boolean fixedPorts,
            Map<String, String> tuning) {
        DevStack stack = DevStack.start(home.resolve("stack"), tiedToThisJvm);
        LocalStack local = new LocalStack(home, repoRoot, stack, tuning, tiedToThisJvm, fixedPorts);
        try {
            for (String name : SERVICES) {
                local.services.put(name, local.newProcess(name, fixedPorts ? DEFAULT_PORTS.get(name) : freePort()));
            }
            local.services.values().forEach(ServiceProcess::start);
            for (ServiceProcess service : local.services.values()) {
                service.awaitReady(Duration.ofSeconds(180));
            }
            return local;
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    private ServiceProcess newProcess(String name, int port) {
        return newProcess(name, name, port);
    }

    private ServiceProcess newProcess(String name, String instance, int port) {
        return newProcess(name, instance, port, Map.of());
    }

    private ServiceProcess newProcess(String name, String instance, int port, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
        config.put("quarkus.datasource.jdbc.url", stack.jdbcUrl(DATABASES.get(name)));
        config.put("quarkus.datasource.username", DevStack.DB_USER);
        config.put("quarkus.datasource.password", DevStack.DB_PASSWORD);
        // a JWKS selected by kid, as in production (a PEM works too: mp.jwt.verify.publickey.location takes either)
        config.put("mp.jwt.verify.publickey.location", jwks.toUri().toString());
        config.put("mp.jwt.verify.issuer", DevKeys.ISSUER);
        config.put("updraft.artifacts.url-signing-key", secrets.getProperty("artifact-url-key"));
        switch (name) {
            case "release-service" -> config.put("updraft.storage.dir", home.resolve("artifacts").toString());
            case "device-gateway" -> {
                config.put("updraft.gateway.gateway-token", gatewayToken());
                config.put("updraft.gateway.release-service-url", services.get("release-service").url());
                config.put("updraft.gateway.delta.link-key", deltaLinkKey);
            }
            default -> {
            }
        }
        if (tiedToThisJvm) {
            // the services exit with this JVM even if it is killed with SIGKILL (ParentWatch in service-support)
            config.put("updraft.parent-pid", String.valueOf(ProcessHandle.current().pid()));
        }
        config.putAll(tuning);
        config.putAll(overrides);
        return new ServiceProcess(name, instance, port, repoRoot, home.resolve("logs"), config);
    }

    private static boolean portRace(IllegalStateException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Address already in use") || message.contains("in use by another");
    }

    /**
     * Starts the packaged operator console ({@code console/target/quarkus-app}) in front of the four running services
     * and waits until it is ready: it serves its pages and, through its proxy, the management APIs under their
     * prefixes ({@code /release}, {@code /rollout}, {@code /gateway}, {@code /telemetry}), so a browser reaches both at
     * one origin and no service needs CORS. Port 8080 when the services have their fixed ports, else a free one.
     * It exits with this JVM when the stack is tied to it, else with the stack's Kafka/PostgreSQL process
     * ({@code ./updraft up}: the launcher exits, {@code down} stops it); {@link #close()} stops it.
     */
    public ServiceProcess startConsole() {
        return startConsole(Map.of());
    }

    /**
     * As {@link #startConsole()}, with {@code settings} applied after the stack's (a test's OIDC provider:
     * {@code updraft.console.oidc.issuer}).
     */
    public synchronized ServiceProcess startConsole(Map<String, String> settings) {
        if (console != null) {
            return console;
        }
        long parent = tiedToThisJvm ? ProcessHandle.current().pid() : stack.pid();
        for (int attempt = 1;; attempt++) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("updraft.console.release-url", services.get("release-service").url());
            config.put("updraft.console.rollout-url", services.get("rollout-service").url());
            config.put("updraft.console.gateway-url", services.get("device-gateway").url());
            config.put("updraft.console.telemetry-url", services.get("telemetry-service").url());
            config.put("updraft.parent-pid", String.valueOf(parent));
            config.putAll(settings);
            ServiceProcess started = new ServiceProcess(CONSOLE, fixedPorts ? CONSOLE_PORT : freePort(), repoRoot,
                    home.resolve("logs"), config).start();
            try {
                started.awaitReady(Duration.ofSeconds(120));
                console = started;
                return started;
            } catch (IllegalStateException e) {
                started.stop();
                if (fixedPorts || attempt == 3 || !portRace(e)) {
                    throw e;
                }
            }
        }
    }

    /** The console, once {@link #startConsole()} started it. */
    public Optional<ServiceProcess> console() {
        return Optional.ofNullable(console);
    }

    public String gatewayToken() {
        return secrets.getProperty("gateway-token");
    }

    /** A bearer token with every management role, minted from the local dev key. */
    public String adminToken() {
        return keys.tokens().admin();
    }

    public DevKeys keys() {
        return keys;
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    public Map<String, ServiceProcess> services() {
        return services;
    }

    public DevStack infrastructure() {
        return stack;
    }

    public Path home() {
        return home;
    }

    /** Restarts one service on its port (after {@link ServiceProcess#kill9()}, say). */
    public ServiceProcess restart(String name) {
        ServiceProcess old = services.get(name);
        old.stop();
        ServiceProcess fresh = newProcess(name, old.port()).start();
        services.put(name, fresh);
        fresh.awaitReady(Duration.ofSeconds(180));
        return fresh;
    }

    /**
     * Starts one more instance of a service (same database, same consumer groups) on a free port and waits until it
     * is ready: two replicas sharing the work, as on Kubernetes. Stopped with the stack.
     */
    public ServiceProcess startReplica(String name) {
        return startReplica(name, Map.of());
    }

    /**
     * As {@link #startReplica(String)}, with {@code overrides} applied after the stack's tuning to this instance only:
     * a test that needs one gateway with its own settings (a short idle timeout, an access log) starts it beside the
     * shared one. The caller may stop it early; the stack stops it otherwise.
     */
    public ServiceProcess startReplica(String name, Map<String, String> overrides) {
        ServiceProcess replica = newProcess(name, name + "-" + (replicas.size() + 2), freePort(), overrides).start();
        replicas.add(replica);
        replica.awaitReady(Duration.ofSeconds(180));
        return replica;
    }

    @Override
    public void close() {
        // side by side: each shuts down gracefully (up to 20 s), so one after the other a stack took over a minute to
        // stop, and a test JVM's shutdown hook outlasted Surefire's 30 s wait for the JVM to exit, which then killed it
        List<ServiceProcess> running = new ArrayList<>(replicas);
        running.addAll(services.values());
        if (console != null) {
            running.add(console);
        }
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess service : running) {
            Thread thread = new Thread(service::stop, "stop-" + service.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stack.close();
    }

    private static Properties loadOrCreateSecrets(Path file) {
        Properties secrets = new Properties();
        try {
            if (Files.exists(file)) {
                PrivateFiles.directory(file.getParent());
                PrivateFiles.narrow(file);
                try (InputStream in = Files.newInputStream(file)) {
                    secrets.load(in);
                }
            } else {
                secrets.setProperty("artifact-url-key", randomHex(32));
                secrets.setProperty("gateway-token", randomHex(16));
                java.io.StringWriter text = new java.io.StringWriter();
                secrets.store(text, "local development secrets, generated; never commit");
                PrivateFiles.create(file, text.toString()); // 0600 from the first byte
            }
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 32 random bytes, base64: what {@code updraft.gateway.delta.link-key} takes (at least 32 bytes decoded). */
    public static String newDeltaLinkKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static int freePort() {
        try {
            return DevStack.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
