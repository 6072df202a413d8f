package io.updraft.e2e.hostile;

import io.updraft.devstack.DevStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a request could have changed, as data: for each table that holds a service's state (releases, artifacts,
 * uploads, rollouts, waves, actions, devices, rollback decisions) its row count and an md5 of its rows, and the end
 * offset of every topic the services write. Two equal snapshots mean nothing was written in between.
 *
 * <p>Left out, with reasons: {@code outbox} (rows are deleted once relayed; what they carry shows in the topics'
 * offsets), {@code processed_event} (it moves only with consumed records, which the offsets show), and the rollout
 * inventory's {@code last_seen} column (a heartbeat of a device of an earlier test may land at any time; the
 * {@code device-reports} offset still counts every heartbeat).
 */
public record StateSnapshot(Map<String, String> tables, Map<String, Long> topics) {
    private static final Map<String, List<String>> TABLES = Map.of(
            "release", List.of("releases", "release_hardware", "release_label", "artifacts", "uploads"),
            "rollout", List.of("release", "rollout", "rollout_wave", "rollout_cohort", "rollout_device",
                    "device_action", "device"),
            "gateway", List.of("device", "device_action"),
            "telemetry", List.of("rollout", "rollback_decision"));
    private static final List<String> TOPICS = List.of("releases", "device-commands", "device-reports",
            "device-telemetry", "rollout-events", "rollbacks");

    public static StateSnapshot take(DevStack stack) {
        Map<String, String> tables = new TreeMap<>();
        TABLES.forEach((database, names) -> {
            try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(database), DevStack.DB_USER,
                    DevStack.DB_PASSWORD); Statement statement = connection.createStatement()) {
                for (String table : names) {
                    String row = "(to_jsonb(t) - 'last_seen')::text";
                    try (ResultSet rs = statement.executeQuery("select count(*), md5(coalesce(string_agg(" + row
                            + ", '|' order by " + row + "), '')) from " + table + " t")) {
                        rs.next();
                        tables.put(database + "." + table, rs.getLong(1) + " rows, md5 " + rs.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("snapshot of database " + database + ": " + e.getMessage(), e);
            }
        });
        return new StateSnapshot(tables, endOffsets(stack.kafkaBootstrap()));
    }

    private static Map<String, Long> endOffsets(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                for (PartitionInfo info : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            Map<String, Long> sums = new TreeMap<>();
            consumer.endOffsets(partitions).forEach((tp, offset) -> sums.merge(tp.topic(), offset, Long::sum));
            return sums;
        }
    }

    /** One line per table or topic that differs, empty when the snapshots are equal. */
    public List<String> differences(StateSnapshot after) {
        List<String> lines = new ArrayList<>();
        tables.forEach((table, before) -> {
            if (!before.equals(after.tables.get(table))) {
                lines.add("table " + table + ": " + before + " → " + after.tables.get(table));
            }
        });
        topics.forEach((topic, before) -> {
            if (!before.equals(after.topics.get(topic))) {
                lines.add("topic " + topic + ": end offset " + before + " → " + after.topics.get(topic));
            }
        });
        return lines;
    }
}
