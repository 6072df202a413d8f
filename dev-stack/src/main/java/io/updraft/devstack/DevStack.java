package io.updraft.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * A real Kafka broker and PostgreSQL server for development and tests, run in a child JVM ({@link StackProcess}).
 * Plain JDK on this side, so it adds nothing to the class path of the code that uses it.
 */
public final class DevStack implements AutoCloseable {
    /** One database per service, created at start. */
    public static final List<String> DATABASES = List.of("release", "rollout", "gateway", "telemetry");
    /**
     * Topic name and partition count, and {@code :compact} for a compacted topic (the tenant registry: its latest
     * record per key is the state); the dead-letter topics are created on first use.
     */
    public static final List<String> TOPICS = List.of("releases:3", "device-commands:6", "device-reports:6",
            "device-telemetry:6", "rollout-events:3", "rollbacks:3", "fleet-health:3", "tenants:1:compact");
    public static final String DB_USER = "postgres";
    public static final String DB_PASSWORD = "postgres";

    /**
     * {@code -Dupdraft.stack.profile=benchmark} runs the broker's JVM as Kafka's own start script does (1 GiB heap, G1
     * with a 20 ms pause goal, the full JIT) instead of the start-up profile tests use (C1 only, serial GC): a
     * benchmark measures against a broker configured like a production one.
     */
    public static final String PROFILE_PROPERTY = "updraft.stack.profile";

    /**
     * {@code -Dupdraft.infra=devstack|containers|auto} picks where {@link #shared()} runs Kafka and PostgreSQL: this
     * module's child JVM, or containers from a {@link ContainerInfrastructure} on the class path (test-support's,
     * with Testcontainers). {@code auto}, the default, takes containers when such a provider is present and a Docker
     * engine answers, the child JVM otherwise.
     */
    public static final String INFRA_PROPERTY = "updraft.infra";

    private static final String SHARED_KAFKA = "updraft.devstack.shared.kafka";
    private static final String SHARED_INFRA = "updraft.devstack.shared.infra";
    private static final String SHARED_POSTGRES_PORT = "updraft.devstack.shared.postgres-port";
    private static final String SHARED_DIR = "updraft.devstack.shared.dir";

    private static DevStack shared;

    /** null when this JVM's stack was started by another class loader (it stops it) or runs in containers */
    private final JavaProcess process;
    /** what stops the stack: the child JVM, the containers, or nothing (another class loader's stack) */
    private final Runnable stop;
    private final String infra;
    private final Path dir;
    private final String kafkaBootstrap;
    private final int postgresPort;

    private DevStack(JavaProcess process, Runnable stop, String infra, Path dir, String kafkaBootstrap, int postgresPort) {
        this.process = process;
        this.stop = stop;
        this.infra = infra;
        this.dir = dir;
        this.kafkaBootstrap = kafkaBootstrap;
        this.postgresPort = postgresPort;
    }

    /**
     * A stack whose servers something else runs (containers): Kafka at {@code kafkaBootstrap}, PostgreSQL on
     * {@code 127.0.0.1:postgresPort} with {@link #DB_USER}/{@link #DB_PASSWORD}, {@link #DATABASES} and {@link #TOPICS}
     * created; {@code stop} stops them.
     */
    public static DevStack external(String infra, Path dir, String kafkaBootstrap, int postgresPort, Runnable stop) {
        return new DevStack(null, stop, infra, dir, kafkaBootstrap, postgresPort);
    }

    /** Starts Kafka and PostgreSQL somewhere other than dev-stack's child JVM; found with {@link ServiceLoader}. */
    public interface ContainerInfrastructure {
        /** Whether it can start anything here (a container engine answers). */
        boolean available();

        /** Starts Kafka and PostgreSQL, creates {@link #DATABASES} and {@link #TOPICS}: see {@link #external}. */
        DevStack start(Path dir);
    }

    /**
     * One stack per JVM, started on first use and stopped when the JVM exits: what tests share. Per JVM, not per class
     * loader: a Quarkus test profile restarts the application in a new class loader, whose copy of this class finds
     * the running stack through system properties instead of starting a second one on the same data directory.
     */
    public static synchronized DevStack shared() {
        if (shared == null) {
            String bootstrap = System.getProperty(SHARED_KAFKA);
            if (bootstrap != null) {
                shared = new DevStack(null, () -> { }, System.getProperty(SHARED_INFRA),
                        Path.of(System.getProperty(SHARED_DIR)), bootstrap,
                        Integer.parseInt(System.getProperty(SHARED_POSTGRES_PORT)));
                return shared;
            }
            Path dir = Path.of("target", "dev-stack-" + ProcessHandle.current().pid()).toAbsolutePath();
            ContainerInfrastructure containers = containerInfrastructure();
            shared = containers == null ? start(dir, true) : containers.start(dir);
            DevStack stack = shared;
            System.out.println("updraft test infrastructure: " + stack.infra + " (Kafka " + stack.kafkaBootstrap
                    + ", PostgreSQL 127.0.0.1:" + stack.postgresPort + "; choose with -D" + INFRA_PROPERTY
                    + "=devstack|containers)");
            System.setProperty(SHARED_INFRA, stack.infra);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "dev-stack-stop"));
            System.setProperty(SHARED_DIR, stack.dir.toString());
            System.setProperty(SHARED_POSTGRES_PORT, String.valueOf(stack.postgresPort));
            System.setProperty(SHARED_KAFKA, stack.kafkaBootstrap);
        }
        return shared;
    }

    /**
     * The container provider {@link #shared()} uses, or null for the child JVM: see {@link #INFRA_PROPERTY}.
     *
     * @throws IllegalStateException when containers are asked for and cannot be had
     */
    static ContainerInfrastructure containerInfrastructure() {
        String wanted = System.getProperty(INFRA_PROPERTY, "auto").trim();
        if (wanted.equals("devstack")) {
            return null;
        }
        if (!wanted.equals("containers") && !wanted.equals("auto")) {
            throw new IllegalStateException("-D" + INFRA_PROPERTY + "=" + wanted + ": expected devstack, containers or auto");
        }
        ContainerInfrastructure provider = ServiceLoader.load(ContainerInfrastructure.class, DevStack.class.getClassLoader())
                .findFirst().orElse(null);
        if (provider == null) {
            if (wanted.equals("containers")) {
                throw new IllegalStateException("-D" + INFRA_PROPERTY + "=containers needs io.updraft:test-support (its"
                        + " Testcontainers infrastructure) on the class path");
            }
            return null;
        }
        if (!provider.available()) {
            if (wanted.equals("containers")) {
                throw new IllegalStateException("-D" + INFRA_PROPERTY + "=containers, but no Docker engine answers;"
                        + " start one, or run with -D" + INFRA_PROPERTY + "=devstack");
            }
            return null;
        }
        return provider;
    }

    /**
     * Starts a stack with its data under {@code dir}.
     *
     * @param tiedToThisJvm if true the child exits when this JVM exits, even on {@code kill -9}
     */
    public static DevStack start(Path dir, boolean tiedToThisJvm) {
        for (int attempt = 1;; attempt++) {
            try {
                return startOnce(dir, tiedToThisJvm);
            } catch (IllegalStateException e) {
                // a port picked as free was taken before the child bound it: pick new ports
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    /** The stack JVM's options for a profile: {@code benchmark}, or anything else for the quick-start default. */
    public static List<String> jvmOptions(String profile) {
        if ("benchmark".equals(profile)) {
            // kafka-server-start.sh's heap and kafka-run-class.sh's GC options
            return List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                    "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent");
        }
        // tests and the local stack start many times a day: start-up time matters more than peak throughput
        return List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    private static DevStack startOnce(Path dir, boolean tiedToThisJvm) {
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("ready.properties"));
            List<String> arguments = new ArrayList<>();
            add(arguments, "dir", dir.toString());
            add(arguments, "kafka-port", String.valueOf(freePort()));
            add(arguments, "controller-port", String.valueOf(freePort()));
            add(arguments, "pg-port", String.valueOf(freePort()));
            add(arguments, "databases", String.join(",", DATABASES));
            add(arguments, "topics", String.join(",", TOPICS));
            if ("benchmark".equals(System.getProperty(PROFILE_PROPERTY, ""))) {
                // a benchmark prints where PostgreSQL's time went, per statement
                add(arguments, "pg-statements", "true");
            }
            if (tiedToThisJvm) {
                add(arguments, "parent-pid", String.valueOf(ProcessHandle.current().pid()));
            }
            Path readyFile = dir.resolve("ready.properties");
            JavaProcess process = JavaProcess.mainClass("dev stack", childClassPath(), StackProcess.class.getName())
                    .jvmOptions(jvmOptions(System.getProperty(PROFILE_PROPERTY, "")))
                    .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn")
                    .arguments(arguments).log(dir.resolve("stack.log")).start();
            process.awaitReady(Duration.ofSeconds(180), () -> Files.exists(readyFile));
            Properties ready = new Properties();
            try (InputStream in = Files.newInputStream(readyFile)) {
                ready.load(in);
            }
            return new DevStack(process, () -> process.stop(Duration.ofSeconds(30)), "devstack", dir,
                    ready.getProperty("kafka.bootstrap.servers"),
                    Integer.parseInt(ready.getProperty("postgres.port")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public int postgresPort() {
        return postgresPort;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    public Path dir() {
        return dir;
    }

    /** {@code devstack} (a child JVM) or {@code containers}. */
    public String infra() {
        return infra;
    }

    /** The stack JVM's pid; -1 for a stack in containers or one another class loader of this JVM started. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void close() {
        stop.run();
    }

    /**
     * The child's class path: this module's classes plus the jars Maven listed at build time (also what
     * {@link io.updraft.devstack.cluster.KafkaCluster}'s nodes run on).
     */
    public static String childClassPath() throws IOException {
        try (InputStream listed = DevStack.class.getResourceAsStream("stack.classpath")) {
            if (listed == null) {
                throw new IllegalStateException("stack.classpath missing: build dev-stack with Maven first");
            }
            String jars = new String(listed.readAllBytes(), StandardCharsets.UTF_8).trim();
            String self = Path.of(DevStack.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return self + java.io.File.pathSeparator + jars;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Kafka broker version the child runs (and the Kafka image is built from): the version of the
     * {@code kafka_2.13} jar Maven listed at build time. It differs from the clients' version in a service's JVM,
     * which Quarkus' BOM pins.
     */
    public static String kafkaVersion() throws IOException {
        for (String jar : childClassPath().split(java.io.File.pathSeparator)) {
            String name = Path.of(jar).getFileName().toString();
            if (name.startsWith("kafka_2.13-") && name.endsWith(".jar")) {
                return name.substring("kafka_2.13-".length(), name.length() - ".jar".length());
            }
        }
        throw new IllegalStateException("no kafka_2.13 jar on the stack's class path: build dev-stack with Maven first");
    }

    /**
     * A port nothing listens on, below Linux's ephemeral range (32768+) so that no outgoing connection of a busy
     * test machine can take it between this check and the server binding it.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int tries = 0; tries < 200; tries++) {
            int candidate = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found in 20000-32000");
    }

    private static void add(List<String> command, String name, String value) {
        command.add("--" + name);
        command.add(value);
    }
}
