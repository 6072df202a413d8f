package io.updraft.launcher.containers;

import io.updraft.devstack.DevKeys;
import io.updraft.launcher.DevJwks;
import io.updraft.devstack.DevStack;
import io.updraft.launcher.RunningStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole stack as containers on one user-defined bridge network, through the {@code docker} command line: Kafka
 * (single-node KRaft, an internal listener for the services and one published to the host), PostgreSQL with the four
 * databases, and the four service images and the operator console's run with the settings deploy/ gives their pods — read-only root filesystem,
 * a size-limited tmpfs on /tmp, user 10001, every capability dropped, no privilege escalation, deploy/'s memory
 * limit — each publishing its port on the host's loopback. Every container, the network and the volumes carry the
 * label {@code io.updraft.stack=<id>}, by which {@link #close()} (and {@link #removeAll}) removes them.
 *
 * <p>The images come from {@code deploy/images/build-images.sh --services deploy-tests/target/images}.
 */
public final class ContainerStack implements RunningStack, AutoCloseable {
    public static final String LABEL = "io.updraft.stack";
    /** The broker version dev-stack runs, not this JVM's client version: build-images.sh tags the image with it. */
    public static final String KAFKA_IMAGE = "updraft/kafka:" + brokerVersion();
    public static final String POSTGRES_IMAGE = "updraft/postgres:15";
    public static final String BASE_IMAGE = "updraft/base-jre:17-bookworm";
    /** The user deploy/'s pods run as ({@code runAsUser}/{@code runAsGroup}). */
    public static final String USER = "10001:10001";
    /** deploy/'s {@code /tmp} emptyDir {@code sizeLimit}. */
    public static final long TMP_BYTES = 256L << 20;
    /** The dev public key as a JWKS selected by kid, where deploy/ mounts the production JWKS. */
    static final String JWT_KEY_PATH = "/etc/updraft/jwt/jwks.json";
    private static final int KAFKA_EXTERNAL_PORT = 9094;

    /**
     * One service as deploy/ runs it: container port, database, memory limit ({@code resources.limits.memory}) and the
     * writable paths beside /tmp (a PVC or emptyDir there; a labelled volume here).
     */
    public record ServiceSpec(String name, int port, String database, long memoryBytes, Map<String, String> volumes,
            Map<String, String> environment) {
    }

    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("release-service", 8081, "release", 768L << 20,
                    Map.of("artifacts", "/var/lib/updraft/artifacts"),
                    Map.of("UPDRAFT_STORAGE_DIR", "/var/lib/updraft/artifacts", "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "2G")),
            new ServiceSpec("rollout-service", 8082, "rollout", 768L << 20, Map.of(), Map.of()),
            new ServiceSpec("device-gateway", 8083, "gateway", 1024L << 20, Map.of(),
                    Map.of("UPDRAFT_GATEWAY_RELEASE_SERVICE_URL", "http://release-service:8081")),
            new ServiceSpec("telemetry-service", 8084, "telemetry", 1024L << 20,
                    Map.of("streams", "/var/lib/updraft/streams"),
                    Map.of("UPDRAFT_STREAMS_STATE_DIR", "/var/lib/updraft/streams")));

    /**
     * The operator console as deploy/ runs it: no database, Kafka or key of its own; its proxy reaches the services by
     * their network aliases, as in the cluster by their Service names (deploy/base/console/configmap.yaml).
     */
    public static final ServiceSpec CONSOLE = new ServiceSpec("console", 8080, null, 384L << 20, Map.of(),
            Map.of("UPDRAFT_CONSOLE_RELEASE_URL", "http://release-service:8081",
                    "UPDRAFT_CONSOLE_ROLLOUT_URL", "http://rollout-service:8082",
                    "UPDRAFT_CONSOLE_GATEWAY_URL", "http://device-gateway:8083",
                    "UPDRAFT_CONSOLE_TELEMETRY_URL", "http://telemetry-service:8084"));

    /** How to start: where files go, the label, ports, settings for every service, the images' version. */
    public record Options(Path home, String id, boolean fixedPorts, Map<String, String> tuning, String version,
            Duration readyTimeout, Consumer<String> progress) {
        public Options {
            tuning = Map.copyOf(tuning);
        }

        /** A stack with a fresh id, on free host ports, that a test or a demo removes when done. */
        public static Options throwaway(Path home, String version, Map<String, String> tuning) {
            return new Options(home, "updraft-" + UUID.randomUUID().toString().substring(0, 8), false, tuning, version,
                    Duration.ofMinutes(5), line -> System.out.println(line));
        }
    }

    private final Docker docker;
    private final Options options;
    private final DevKeys keys;
    private final String gatewayToken;
    private final String urlSigningKey;
    private final String deltaLinkKey = io.updraft.launcher.LocalStack.newDeltaLinkKey();
    private final Map<String, Integer> hostPorts = new LinkedHashMap<>();
    private final Map<String, Long> startedNanos = new LinkedHashMap<>();
    private final Map<String, Duration> readyAfter = new LinkedHashMap<>();
    private int kafkaPort;
    private int postgresPort;
    private volatile boolean closed;

    private ContainerStack(Docker docker, Options options) {
        this.docker = docker;
        this.options = options;
        this.keys = DevKeys.in(options.home().resolve("keys"));
        this.gatewayToken = randomHex(16);
        this.urlSigningKey = randomHex(32);
    }

    /** Starts everything and waits until each service answers 200 on /q/health/ready through its published port. */
    public static ContainerStack start(Options options) {
        return start(new Docker(), options);
    }

    public static ContainerStack start(Docker docker, Options options) {
        if (!docker.available()) {
            throw new IllegalStateException("no Docker engine answers ('docker info' failed): start one, or use "
                    + "./updraft up (the same stack as local processes)");
        }
        removeAll(docker, options.id()); // leftovers of an earlier run under the same id
        ContainerStack stack = new ContainerStack(docker, options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            try {
                stack.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // why it did not start matters more than a failed cleanup
            }
            throw e;
        }
    }

    private void startAll() {
        long begin = System.nanoTime();
        Path files = createDirectories(options.home().toAbsolutePath().resolve("containers"));
        Path publicKey = readableCopy(DevJwks.write(keys), files.resolve("jwks.json"));
        StringBuilder sql = new StringBuilder();
        DevStack.DATABASES.forEach(db -> sql.append("create database \"").append(db).append("\";\n"));
        Path databases = readableFile(files.resolve("10-databases.sql"), sql.toString());

        docker.run("network", "create", "--label", label(), network());
        kafkaPort = options.fixedPorts() ? 9092 : freePort();
        startContainer("kafka", List.of("--hostname", "kafka", "-p", "127.0.0.1:" + kafkaPort + ":" + KAFKA_EXTERNAL_PORT,
                "-e", "CLUSTER_ID=" + clusterId(), "-e", "KAFKA_NODE_ID=1",
                "-e", "KAFKA_PROCESS_ROLES=broker,controller",
                "-e", "KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093",
                "-e", "KAFKA_LISTENERS=INTERNAL://:9092,CONTROLLER://localhost:9093,EXTERNAL://:" + KAFKA_EXTERNAL_PORT,
                "-e", "KAFKA_ADVERTISED_LISTENERS=INTERNAL://kafka:9092,EXTERNAL://127.0.0.1:" + kafkaPort,
                "-e", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT",
                "-e", "KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER", "-e", "KAFKA_INTER_BROKER_LISTENER_NAME=INTERNAL",
                "-e", "KAFKA_NUM_PARTITIONS=4", "-e", "KAFKA_AUTO_CREATE_TOPICS_ENABLE=true",
                "-e", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1", "-e", "KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS=4",
                "-e", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1", "-e", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1",
                "-e", "KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS=4",
                "-e", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR=1",
                "-e", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR=1",
                "-e", "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0",
                "-e", "KAFKA_HEAP_OPTS=-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"), KAFKA_IMAGE);
        startContainer("postgres", List.of("-p", "127.0.0.1::5432", "-e", "POSTGRES_USER=" + DevStack.DB_USER,
                "-e", "POSTGRES_PASSWORD=" + DevStack.DB_PASSWORD,
                "-v", databases + ":/docker-entrypoint-initdb.d/10-databases.sql:ro"), POSTGRES_IMAGE);
        prepareVolumes();
        awaitKafkaAndCreateTopics();
        postgresPort = publishedPort("postgres", 5432);
        awaitPostgres();
        say("kafka and postgres ready in %.1f s", (System.nanoTime() - begin) / 1e9);

        for (ServiceSpec service : SERVICES) {
            startService(service, publicKey, files);
        }
        startConsole(files);
        awaitServicesReady();
        say("stack ready in %.1f s", (System.nanoTime() - begin) / 1e9);
    }

    private void startService(ServiceSpec service, Path publicKey, Path files) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/" + service.database());
        env.put("QUARKUS_DATASOURCE_USERNAME", DevStack.DB_USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", DevStack.DB_PASSWORD);
        env.put("UPDRAFT_JWT_PUBLIC_KEY", JWT_KEY_PATH);
        env.put("MP_JWT_VERIFY_ISSUER", DevKeys.ISSUER);
        env.put("UPDRAFT_ARTIFACTS_URL_SIGNING_KEY", urlSigningKey);
        if ("device-gateway".equals(service.name())) {
            env.put("UPDRAFT_GATEWAY_GATEWAY_TOKEN", gatewayToken);
            env.put("UPDRAFT_GATEWAY_DELTA_LINK_KEY", deltaLinkKey); // new every run, as in LocalStack
        }
        env.putAll(service.environment());
        options.tuning().forEach((property, value) -> env.put(envName(property), value));
        StringBuilder envFile = new StringBuilder();
        env.forEach((k, v) -> envFile.append(k).append('=').append(v).append('\n'));
        Path envPath = files.resolve(service.name() + ".env");
        writePrivate(envPath, envFile.toString()); // secrets: not on any process's command line

        List<String> args = new ArrayList<>(List.of("--read-only",
                "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=" + TMP_BYTES + ",mode=1777",
                "--user", USER, "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "--memory", String.valueOf(service.memoryBytes()), "--memory-swap", String.valueOf(service.memoryBytes()),
                "-p", options.fixedPorts() ? "127.0.0.1:" + service.port() + ":" + service.port()
                        : "127.0.0.1::" + service.port(),
                "--env-file", envPath.toString(),
                "-v", publicKey + ":" + JWT_KEY_PATH + ":ro"));
        service.volumes().forEach((volume, path) -> args.addAll(List.of("-v", volumeName(service, volume) + ":" + path)));
        startContainer(service.name(), args, "updraft/" + service.name() + ":" + options.version());
        hostPorts.put(service.name(), publishedPort(service.name(), service.port()));
    }

    /** The console, hardened as the services are; it reads only its upstreams' URLs. */
    private void startConsole(Path files) {
        StringBuilder envFile = new StringBuilder();
        CONSOLE.environment().forEach((k, v) -> envFile.append(k).append('=').append(v).append('\n'));
        Path envPath = files.resolve(CONSOLE.name() + ".env");
        writePrivate(envPath, envFile.toString());
        startContainer(CONSOLE.name(), List.of("--read-only",
                "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=" + TMP_BYTES + ",mode=1777",
                "--user", USER, "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "--memory", String.valueOf(CONSOLE.memoryBytes()), "--memory-swap", String.valueOf(CONSOLE.memoryBytes()),
                "-p", options.fixedPorts() ? "127.0.0.1:" + CONSOLE.port() + ":" + CONSOLE.port()
                        : "127.0.0.1::" + CONSOLE.port(),
                "--env-file", envPath.toString()), "updraft/" + CONSOLE.name() + ":" + options.version());
        hostPorts.put(CONSOLE.name(), publishedPort(CONSOLE.name(), CONSOLE.port()));
    }

    /** Labelled volumes for the writable paths deploy/ mounts, owned by the services' user. */
    private void prepareVolumes() {
        List<String> mounts = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (ServiceSpec service : SERVICES) {
            service.volumes().forEach((volume, path) -> {
                String name = volumeName(service, volume);
                docker.run("volume", "create", "--label", label(), name);
                mounts.addAll(List.of("-v", name + ":/volumes/" + name));
                paths.add("/volumes/" + name);
            });
        }
        if (paths.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--label", label(), "--network", "none",
                "--user", "0", "--entrypoint", "chown"));
        args.addAll(mounts);
        args.add(BASE_IMAGE);
        args.add(USER);
        args.addAll(paths);
        docker.run(Duration.ofMinutes(2), args);
    }

    private void startContainer(String name, List<String> settings, String image) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container(name), "--label", label(),
                "--network", network(), "--network-alias", name));
        args.addAll(settings);
        args.add(image);
        startedNanos.put(name, System.nanoTime());
        docker.run(Duration.ofMinutes(2), args);
    }

    private void awaitKafkaAndCreateTopics() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    break;
                } catch (Exception notYet) {
                    ensureRunning("kafka");
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kafka did not answer on " + kafkaBootstrap() + " within "
                                + options.readyTimeout().toSeconds() + " s\n" + logTail("kafka"), notYet);
                    }
                    pause();
                }
            }
            // the dev stack's topics, as it creates them (a compacted one compacted: KafkaTopics)
            for (NewTopic topic : io.updraft.devstack.KafkaTopics.of(DevStack.TOPICS, 4, (short) 1, Map.of())) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating the topics failed: " + e, e);
        }
    }

    private void awaitPostgres() {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        // TCP on 127.0.0.1 answers only once the entrypoint's init (socket-only) is over and the real server runs
        List<String> probe = List.of("exec", container("postgres"), "pg_isready", "-q", "-h", "127.0.0.1", "-U",
                DevStack.DB_USER);
        while (docker.call(Duration.ofSeconds(20), probe).status() != 0) {
            ensureRunning("postgres");
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("postgres not ready within " + options.readyTimeout().toSeconds()
                        + " s\n" + logTail("postgres"));
            }
            pause();
        }
    }

    private void awaitServicesReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        List<String> waiting = new ArrayList<>(hostPorts.keySet());
        while (!waiting.isEmpty()) {
            for (String service : List.copyOf(waiting)) {
                if (answers200(http, url(service) + "/q/health/ready")) {
                    waiting.remove(service);
                    Duration after = Duration.ofNanos(System.nanoTime() - startedNanos.get(service));
                    readyAfter.put(service, after);
                    say("  %-18s ready after %4.1f s  %s", service, after.toMillis() / 1e3, url(service));
                } else {
                    ensureRunning(service);
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(waiting + " not ready within "
                            + options.readyTimeout().toSeconds() + " s\n" + logTail(waiting.get(0)));
                }
                pause();
            }
        }
    }

    private static boolean answers200(HttpClient http, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails at once, with the log's tail, when a container has stopped while we wait for it. */
    private void ensureRunning(String name) {
        String state = docker.call(Duration.ofSeconds(20),
                List.of("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}", container(name)))
                .out().strip();
        if (!state.startsWith("running")) {
            throw new IllegalStateException(container(name) + " stopped (status, exit code, OOMKilled: " + state
                    + ")\n" + logTail(name));
        }
    }

    /** The last lines a container wrote. */
    public String logTail(String name) {
        Docker.Result logs = docker.call(Duration.ofSeconds(30), List.of("logs", "--tail", "60", container(name)));
        return "--- last lines of " + container(name) + " ---\n" + logs.out() + logs.err();
    }

    private int publishedPort(String name, int containerPort) {
        String mapping = docker.run("port", container(name), containerPort + "/tcp").lines().findFirst().orElseThrow();
        return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
    }

    @Override
    public String url(String service) {
        Integer port = hostPorts.get(service);
        if (port == null) {
            throw new IllegalArgumentException("no service " + service + " in " + hostPorts.keySet());
        }
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String gatewayToken() {
        return gatewayToken;
    }

    @Override
    public String adminToken() {
        return keys.tokens().admin();
    }

    @Override
    public Path home() {
        return options.home();
    }

    public String id() {
        return options.id();
    }

    /** The container name of {@code name} (a service, {@code kafka} or {@code postgres}). */
    public String container(String name) {
        return options.id() + "-" + name;
    }

    public String network() {
        return options.id() + "-net";
    }

    /** Kafka's listener published to the host. */
    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public int postgresPort() {
        return postgresPort;
    }

    /** How long each service took from {@code docker run} to its first 200 on /q/health/ready. */
    public Map<String, Duration> readyAfter() {
        return Map.copyOf(readyAfter);
    }

    public Docker docker() {
        return docker;
    }

    private String label() {
        return LABEL + "=" + options.id();
    }

    private String volumeName(ServiceSpec service, String volume) {
        return options.id() + "-" + service.name() + "-" + volume;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            removeAll(docker, options.id());
        }
    }

    /**
     * Removes every container, network and volume labelled {@code io.updraft.stack=id}: what a stack started, even
     * one whose JVM is gone ({@code ./updraft containers down}). Returns the containers removed.
     */
    public static List<String> removeAll(Docker docker, String id) {
        String filter = "label=" + LABEL + "=" + id;
        List<String> containers = docker.run("ps", "-aq", "--filter", filter).lines().filter(s -> !s.isBlank()).toList();
        List<String> names = new ArrayList<>();
        if (!containers.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("inspect", "-f", "{{.Name}}"));
            args.addAll(containers);
            docker.run(Duration.ofMinutes(1), args).lines().map(n -> n.replaceFirst("^/", "")).forEach(names::add);
            List<String> remove = new ArrayList<>(List.of("rm", "-f", "-v"));
            remove.addAll(containers);
            docker.run(Duration.ofMinutes(2), remove);
        }
        docker.run("network", "ls", "-q", "--filter", filter).lines().filter(s -> !s.isBlank())
                .forEach(network -> docker.run("network", "rm", network));
        List<String> volumes = docker.run("volume", "ls", "-q", "--filter", filter).lines().filter(s -> !s.isBlank())
                .toList();
        if (!volumes.isEmpty()) {
            List<String> remove = new ArrayList<>(List.of("volume", "rm", "-f"));
            remove.addAll(volumes);
            docker.run(Duration.ofMinutes(1), remove);
        }
        return names;
    }

    /** {@code updraft.gateway.polling.interval} → {@code UPDRAFT_GATEWAY_POLLING_INTERVAL}, as Quarkus reads env. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void say(String format, Object... args) {
        options.progress().accept(String.format(Locale.ROOT, format, args));
    }

    private static void pause() {
        try {
            Thread.sleep(500); // a poll interval, not a wait for a fixed time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String clusterId() {
        // Kafka's cluster id: 16 random bytes, URL-safe base64 without padding (what StorageTool random-uuid prints)
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static int freePort() {
        try {
            return DevStack.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy the containers' users can read (the key folder itself is private to this user). */
    private static Path readableCopy(Path source, Path target) {
        try {
            return readableFile(target, Files.readString(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path readableFile(Path file, String content) {
        try {
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writePrivate(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String brokerVersion() {
        try {
            return io.updraft.devstack.DevStack.kafkaVersion();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
