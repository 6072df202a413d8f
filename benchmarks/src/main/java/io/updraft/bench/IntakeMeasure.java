package io.updraft.bench;

import io.updraft.devstack.DevStack;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the two intake benchmarks (a packaged service consuming a topic: {@link ReportIntakeBenchmark} and
 * {@link CommandIntakeBenchmark}) share: records sent keyed by device, the time until the service's database shows
 * their effect, the service's CPU time, and the baseline — a plain KafkaConsumer reading the same records from a
 * fresh topic with as many partitions, on the same broker in the same run.
 */
final class IntakeMeasure {
    private IntakeMeasure() {
    }

    /** Sends every event keyed by {@code key} (each device's records in order on its partition), all acknowledged. */
    static <T extends UpdraftEvent> void send(String bootstrap, String topic, List<T> events, Function<T, String> key)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        // into a topic created a moment ago an idempotent producer can loop on OUT_OF_ORDER_SEQUENCE_NUMBER after the
        // first NOT_LEADER_OR_FOLLOWER; one batch in flight keeps each device's order without it
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sent = new ArrayList<>(events.size());
            for (T event : events) {
                sent.add(producer.send(new ProducerRecord<>(topic, key.apply(event), EventJson.write(event))));
            }
            for (Future<?> ack : sent) {
                ack.get();
            }
        }
    }

    /**
     * The baseline: the same events on a fresh topic with the partitions of {@code like}, then read back from the
     * beginning by a plain KafkaConsumer (assigned partitions, no group, nothing applied).
     */
    static <T extends UpdraftEvent> KafkaBaseline.Rate plainConsumer(String bootstrap, String like, String rawTopic,
            List<T> events, Function<T, String> key) throws Exception {
        KafkaBaseline.createTopic(bootstrap, rawTopic, KafkaBaseline.partitions(bootstrap, like));
        awaitLeaders(bootstrap, rawTopic);
        send(bootstrap, rawTopic, events, key);
        return KafkaBaseline.consume(bootstrap, rawTopic, events.size(), Duration.ofMinutes(5));
    }

    /** Records through a service's topic: how many, from the first send until applied, the send alone, its CPU. */
    record Timed(int records, double seconds, double sentSeconds, double cpuMicros, String load) {
        double rate() {
            return records / seconds;
        }

        String note() {
            return String.format(java.util.Locale.ROOT, "%,d records in %.2f s (sent in %.2f s); load %s", records,
                    seconds, sentSeconds, load);
        }
    }

    /**
     * Sends {@code events} to the service's {@code topic}, timed from the first send until {@code sql} (one string
     * parameter) counts {@code expected} in its {@code database}; with the service process's CPU time per record.
     */
    static <T extends UpdraftEvent> Timed throughTopic(DevStack stack, String database, long pid, String topic,
            List<T> events, Function<T, String> key, String sql, String parameter, long expected) throws Exception {
        long cpu = cpuNanos(pid);
        long started = System.nanoTime();
        send(stack.kafkaBootstrap(), topic, events, key);
        double sent = (System.nanoTime() - started) / 1e9;
        long done = awaitCount(stack, database, sql, parameter, expected, Duration.ofMinutes(20));
        return new Timed(events.size(), (done - started) / 1e9, sent, (cpuNanos(pid) - cpu) / 1e3 / events.size(),
                loadAverage());
    }

    /** A producer racing a new topic's leader elections can get stuck retrying: wait until every partition has one. */
    private static void awaitLeaders(String bootstrap, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (!admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .allMatch(partition -> partition.leader() != null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + ": partitions without a leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** The count {@code sql} (one string parameter) answers in {@code database} right now. */
    static long count(DevStack stack, String database, String sql, String parameter) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(database), DevStack.DB_USER,
                DevStack.DB_PASSWORD); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Polls {@code sql} every 100 ms until it counts {@code expected}.
     *
     * @return {@link System#nanoTime()} when it first did
     */
    static long awaitCount(DevStack stack, String database, String sql, String parameter, long expected,
            Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(database), DevStack.DB_USER,
                DevStack.DB_PASSWORD); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            long seen = 0;
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    seen = rows.getLong(1);
                }
                if (seen >= expected) {
                    return System.nanoTime();
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(String.format("only %,d of %,d after %d s: %s", seen, expected,
                    timeout.toSeconds(), sql));
        }
    }

    /** CPU time (ns) the process has used so far (the service's JVM; the database's work is not in it). */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    /** The machine's load average when a figure was taken: printed with it (the cores are shared). */
    static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim()
                    .split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
