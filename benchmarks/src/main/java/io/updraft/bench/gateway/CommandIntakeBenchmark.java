package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.DevStack;
import io.updraft.events.DeviceCommand;
import io.updraft.events.EventJson;
import io.updraft.events.Topics;
import io.updraft.gateway.messaging.DeviceCommandConsumer;
import io.updraft.support.kafka.BatchConsumption;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Not part of the build (the name matches no test pattern). Run it on purpose:
 * {@code ./mvnw -B -o -pl device-gateway test -Dtest=CommandIntakeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.commands=20000}). Prints how many InstallRequested per second the gateway applies, a wave to N
 * known devices (registered, nothing pending) on the real broker and database: each run's N commands are first put
 * on a fresh 6-partition topic, then read back by a plain consumer and applied as the gateway applies them —
 * <em>before</em>: per command inside one transaction per poll of 500 (the gateway until this change, and still its
 * path for a batch that failed); <em>after</em>: set-based, polls of 2,000 ({@code DeviceCommandConsumer.onCommands}).
 * Both for devices with nothing pending and for a wave that supersedes each device's pending action (withdrawn, with
 * an ActionCanceled each); {@code -Dbench.before=false} skips the per-command runs. Then the first wave through the
 * running gateway's own device-commands channel, timed from the first send until every action is stored. Figures, never assertions on time; the load average is printed with them.
 */
@QuarkusTest
class CommandIntakeBenchmark extends GatewayTestBase {
    private static final int COMMANDS = Integer.getInteger("bench.commands", 20_000);
    /** false: only the set-based figures (the per-command path takes minutes for 100,000) */
    private static final boolean BEFORE = Boolean.parseBoolean(System.getProperty("bench.before", "true"));

    @Inject
    DeviceCommandConsumer consumer;
    @Inject
    BatchConsumption batches;
    @Inject
    EntityManager entityManager;

    @Test
    void run() throws Exception {
        System.out.printf(Locale.ROOT, "command intake benchmark: %,d InstallRequested per run, load average %s%n",
                COMMANDS, loadAverage());
        String dlq = Topics.deadLetter(Topics.DEVICE_COMMANDS);
        // a short warm-up of both paths (JIT, connection pool), not measured
        Consumer<ConsumerRecords<String, String>> perCommand = records -> batches.apply(records, dlq,
                payload -> EventJson.read(payload, DeviceCommand.class), consumer::applyOne);
        measure("warm-up per command", 2_000, 500, false, perCommand);
        measure("warm-up set-based", 2_000, 2_000, false, consumer::onCommands);

        for (boolean supersede : List.of(false, true)) {
            String wave = supersede ? "each device's pending action superseded" : "devices with nothing pending";
            double before = BEFORE ? measure("before: per command, polls of 500", COMMANDS, 500, supersede, perCommand)
                    : Double.NaN;
            double after = measure("after: set-based, polls of 2,000", COMMANDS, 2_000, supersede,
                    consumer::onCommands);
            System.out.printf(Locale.ROOT, "RESULT %s: before %,.0f commands/s | after %,.0f commands/s (x%.1f)"
                    + " | load average %s%n", wave, before, after, after / before, loadAverage());
        }
        double channel = throughTheChannel(COMMANDS);
        System.out.printf(Locale.ROOT, "RESULT through the gateway's device-commands channel: %,.0f commands/s"
                + " | load average %s%n", channel, loadAverage());
    }

    /** @return commands/s from the first poll until the last record is applied */
    private double measure(String name, int count, int maxPollRecords, boolean supersede,
            Consumer<ConsumerRecords<String, String>> apply) throws Exception {
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        provision(prefix, count);
        if (supersede) {
            offerEach(prefix, count);
        }
        String topic = "bench-commands-" + UUID.randomUUID();
        try (Admin admin = Admin.create(props(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            // a producer racing the new partitions' leader election can get stuck retrying: wait for the leaders
            eventually().until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().allMatch(partition -> partition.leader() != null));
        }
        send(topic, prefix, count);
        Properties props = props(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        int applied = 0;
        int polls = 0;
        long started;
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props)) {
            reader.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = reader.poll(Duration.ofSeconds(30));
            started = System.nanoTime();
            while (applied < count) {
                if (!records.isEmpty()) {
                    apply.accept(records);
                    applied += records.count();
                    polls++;
                }
                records = reader.poll(Duration.ofSeconds(1));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(actions(prefix)).as("every command applied").isEqualTo(count);
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "%-40s %-9s %,7d commands in %6.2f s (%3d polls): %,8.0f commands/s"
                + "  (load %s)%n", name, supersede ? "supersede" : "", count, seconds, polls, rate, loadAverage());
        return rate;
    }

    /** The running gateway's own consumer: from the first send until every action is stored. */
    private double throughTheChannel(int count) throws Exception {
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        provision(prefix, count);
        long started = System.nanoTime();
        send(Topics.DEVICE_COMMANDS, prefix, count);
        double sent = (System.nanoTime() - started) / 1e9;
        eventually().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> actions(prefix) == count);
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "%-40s %,7d commands in %6.2f s (sent in %.2f s): %,8.0f commands/s  (load %s)%n",
                "through the device-commands channel", count, seconds, sent, rate, loadAverage());
        return rate;
    }

    /** N registered devices with nothing pending, as a fleet is before a wave. */
    private void provision(String prefix, int count) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "insert into device (controller_id, created_at, registered_at) select ?1 || g, now(), now()"
                        + " from generate_series(1, ?2) g")
                .setParameter(1, prefix).setParameter(2, count).executeUpdate());
    }

    /** Gives every device a pending action (set-based, not measured), for a wave that supersedes them. */
    private void offerEach(String prefix, int count) {
        List<DeviceCommand> commands = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            commands.add(Commands.install(prefix + i, Commands.newActionId()));
            if (commands.size() == 2_000 || i == count) {
                List<DeviceCommand> batch = List.copyOf(commands);
                QuarkusTransaction.requiringNew().run(() -> consumer.applyAll(batch));
                commands.clear();
            }
        }
    }

    private static void send(String topic, String prefix, int count) throws Exception {
        Properties props = props(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        // one record per device: no order to keep, and no sequence numbers to get stuck on a fresh partition
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sent = new ArrayList<>(count);
            for (int i = 1; i <= count; i++) {
                DeviceCommand.InstallRequested command = Commands.install(prefix + i, Commands.newActionId());
                sent.add(producer.send(new ProducerRecord<>(topic, command.deviceId(), EventJson.write(command))));
            }
            for (Future<?> ack : sent) {
                ack.get();
            }
        }
    }

    private long actions(String prefix) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select count(*) from device_action where controller_id like ?1 and status = 'PENDING'")
                .setParameter(1, prefix + "%").getSingleResult()).longValue());
    }

    private static Properties props(String bootstrapKey) {
        Properties props = new Properties();
        props.put(bootstrapKey, DevStack.shared().kafkaBootstrap());
        return props;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
