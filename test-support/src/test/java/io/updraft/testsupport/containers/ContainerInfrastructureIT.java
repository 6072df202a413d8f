package io.updraft.testsupport.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.devstack.DevStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The container path gives what dev-stack gives: Kafka with the topics and their partition counts, PostgreSQL with
 * the service databases under dev-stack's credentials — on the locally built images. Needs a Docker engine.
 */
@Tag("containers")
class ContainerInfrastructureIT {
    private static DevStack stack;

    @BeforeAll
    static void start() {
        TestcontainersInfrastructure infrastructure = new TestcontainersInfrastructure();
        assertThat(infrastructure.available()).as("a Docker engine answers on this machine").isTrue();
        stack = infrastructure.start(Path.of("target", "containers-it").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void kafkaHasEveryTopicWithItsPartitions() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            List<String> names = DevStack.TOPICS.stream().map(t -> t.split(":")[0]).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            for (String spec : DevStack.TOPICS) {
                String[] parts = spec.split(":");
                assertThat(topics.get(parts[0]).partitions()).as(parts[0]).hasSize(Integer.parseInt(parts[1]));
            }
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
        }
        assertThat(stack.infra()).isEqualTo("containers");
        assertThat(stack.pid()).isEqualTo(-1);
    }

    @Test
    void postgresHasEveryServiceDatabaseOnDebiansServer() throws Exception {
        Set<String> databases = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl("postgres"), DevStack.DB_USER,
                DevStack.DB_PASSWORD); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select datname from pg_database")) {
                while (rows.next()) {
                    databases.add(rows.getString(1));
                }
            }
            try (ResultSet version = statement.executeQuery("select version()")) {
                version.next();
                assertThat(version.getString(1)).contains("PostgreSQL 15").contains("Debian");
            }
            try (ResultSet max = statement.executeQuery("show max_connections")) {
                max.next();
                assertThat(max.getInt(1)).isEqualTo(300);
            }
        }
        assertThat(databases).containsAll(DevStack.DATABASES);
    }
}
