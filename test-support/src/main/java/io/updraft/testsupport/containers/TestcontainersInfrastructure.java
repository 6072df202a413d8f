package io.updraft.testsupport.containers;

import io.updraft.devstack.DevStack;
import io.updraft.devstack.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The second way to run the services' integration tests: Testcontainers' Kafka and PostgreSQL containers on the
 * images {@code deploy/images/build-images.sh} builds locally, in place of dev-stack's child JVM. Chosen by
 * {@link DevStack#shared()} ({@code -Dupdraft.infra}); same databases, topics and credentials as dev-stack, so a test
 * cannot tell which one it runs on. Ryuk cannot be pulled here, so the containers are stopped by the stack's own
 * shutdown hook, and {@code .ci/run} removes any a killed JVM left behind (label {@code org.testcontainers}).
 */
public final class TestcontainersInfrastructure implements DevStack.ContainerInfrastructure {
    @Override
    public boolean available() {
        return DockerEngine.answers();
    }

    @Override
    public DevStack start(Path dir) {
        DockerEngine.prepareClient();
        DockerEngine.requireOfflineSettings();
        LocalImages.ensureBuilt();
        KafkaContainer kafka = kafka();
        PostgreSQLContainer postgres = postgres();
        try {
            Startables.deepStart(kafka, postgres).join();
            int postgresPort = postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
            createDatabases(postgresPort);
            createTopics(kafka.getBootstrapServers());
            return DevStack.external("containers", dir, kafka.getBootstrapServers(), postgresPort, () -> {
                kafka.stop();
                postgres.stop();
            });
        } catch (RuntimeException | Error e) {
            kafka.stop();
            postgres.stop();
            throw e;
        }
    }

    /** Single-node KRaft as dev-stack runs it: four partitions per auto-created topic, no rebalance delay. */
    public static KafkaContainer kafka() {
        return new KafkaContainer(LocalImages.kafka())
                .withImagePullPolicy(LocalImages.NEVER_PULL)
                .withEnv(Map.of("KAFKA_NUM_PARTITIONS", "4",
                        "KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "4",
                        "KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "4",
                        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1",
                        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1",
                        "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true"));
    }

    /** PostgreSQL with dev-stack's settings: its user and password, room for every test's pools, no fsync. */
    public static PostgreSQLContainer postgres() {
        return new PostgreSQLContainer(LocalImages.postgres())
                .withImagePullPolicy(LocalImages.NEVER_PULL)
                .withUsername(DevStack.DB_USER)
                .withPassword(DevStack.DB_PASSWORD)
                .withDatabaseName("postgres")
                .withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off", "-c", "shared_buffers=128MB");
    }

    private static void createDatabases(int port) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, DevStack.DB_USER, DevStack.DB_PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String database : DevStack.DATABASES) {
                try (ResultSet exists = statement.executeQuery(
                        "select 1 from pg_database where datname = '" + database + "'")) {
                    if (!exists.next()) {
                        statement.execute("create database \"" + database + "\"");
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the service databases in the PostgreSQL container", e);
        }
    }

    private static void createTopics(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            KafkaTopics.create(admin, KafkaTopics.of(DevStack.TOPICS, 4, (short) 1, Map.of()), Duration.ofSeconds(60));
        }
    }
}
