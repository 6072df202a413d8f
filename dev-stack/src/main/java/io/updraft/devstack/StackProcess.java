package io.updraft.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The child JVM: a real single-node Kafka in KRaft mode and a real PostgreSQL, on the ports it is given, with its
 * data under one folder. It writes {@code ready.properties} when both answer and exits when its parent does (or on
 * SIGTERM), so a killed test run never leaves a broker behind.
 *
 * <p>Arguments: {@code --dir D --kafka-port N --controller-port N --pg-port N [--parent-pid P] [--databases a,b]
 * [--topics t1:partitions,...] [--pg-statements true]}: the last loads {@code pg_stat_statements} into PostgreSQL.
 */
public final class StackProcess {
    private StackProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path dir = Path.of(options.get("dir")).toAbsolutePath();
        int kafkaPort = Integer.parseInt(options.get("kafka-port"));
        int controllerPort = Integer.parseInt(options.get("controller-port"));
        int pgPort = Integer.parseInt(options.get("pg-port"));
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("ready.properties"));

        EmbeddedPostgres postgres = startPostgres(dir.resolve("postgres"), pgPort,
                List.of(options.getOrDefault("databases", "").split(",")),
                Boolean.parseBoolean(options.getOrDefault("pg-statements", "false")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "postgres-stop"));

        Path serverProperties = writeKafkaConfig(dir.resolve("kafka"), kafkaPort, controllerPort);
        formatStorageOnce(dir.resolve("kafka"), serverProperties);
        Thread broker = new Thread(() -> kafka.Kafka.main(new String[] { serverProperties.toString() }), "kafka");
        broker.start();
        String bootstrap = "127.0.0.1:" + kafkaPort;
        createTopics(bootstrap, options.getOrDefault("topics", ""));

        String parentPid = options.get("parent-pid");
        if (parentPid != null) {
            ProcessHandle.of(Long.parseLong(parentPid)).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }

        Properties ready = new Properties();
        ready.setProperty("kafka.bootstrap.servers", bootstrap);
        ready.setProperty("postgres.port", String.valueOf(pgPort));
        ready.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
        Path tmp = dir.resolve("ready.properties.tmp");
        try (var out = Files.newOutputStream(tmp)) {
            ready.store(out, "updraft dev stack");
        }
        Files.move(tmp, dir.resolve("ready.properties"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("UPDRAFT STACK READY kafka=" + bootstrap + " postgres=127.0.0.1:" + pgPort);
        broker.join();
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, int port, List<String> databases,
            boolean statements) throws Exception {
        boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (statements) {
            // pg_stat_statements ships with the embedded binaries; loaded only at start
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        EmbeddedPostgres postgres = builder
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("shared_buffers", "128MB")
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            if (statements) {
                statement.execute("create extension if not exists pg_stat_statements");
            }
            for (String database : databases) {
                if (database.isBlank()) {
                    continue;
                }
                try (ResultSet exists = statement.executeQuery(
                        "select 1 from pg_database where datname = '" + database.replace("'", "") + "'")) {
                    if (exists.next()) {
                        continue;
                    }
                }
                statement.execute("create database \"" + database.replace("\"", "") + "\"");
            }
        }
        System.out.println("postgres " + (fresh ? "initialised" : "reopened") + " on port " + port);
        return postgres;
    }

    private static Path writeKafkaConfig(Path kafkaDir, int port, int controllerPort) throws IOException {
        Files.createDirectories(kafkaDir);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", kafkaDir.resolve("data").toString());
        config.put("num.partitions", "4");
        config.put("auto.create.topics.enable", "true");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.retention.hours", "168");
        Path file = kafkaDir.resolve("server.properties");
        StringBuilder text = new StringBuilder();
        config.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text.toString());
        return file;
    }

    /** Formats the log directory on first start; a restart of {@code ./updraft up} keeps the broker's data. */
    private static void formatStorageOnce(Path kafkaDir, Path serverProperties) {
        if (Files.exists(kafkaDir.resolve("data").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // "--cluster-id=" keeps an id that starts with '-' from being read as an option
        int status = kafka.tools.StorageTool.execute(new String[] { "format", "--cluster-id=" + randomClusterId(),
                "--config=" + serverProperties }, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static String randomClusterId() {
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    private static void createTopics(String bootstrap, String topicSpec) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    break;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kafka did not answer within 90 s", notYet);
                    }
                    Thread.sleep(200);
                }
            }
            KafkaTopics.create(admin, KafkaTopics.of(List.of(topicSpec.split(",")), 4, (short) 1, Map.of()),
                    Duration.ofSeconds(60));
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("dir", "kafka-port", "controller-port", "pg-port")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing --" + required);
            }
        }
        return options;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }
}
