package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.messaging.DeviceReportConsumer;
import io.updraft.support.kafka.BatchConsumption;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code ./mvnw -B -o -pl rollout-service test -Dtest=ReportIntakeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.devices=20000}). Prints how many device-reports per second the rollout-service applies, on the real
 * broker and database: a wave of N devices (a rollout created through the API, its N actions sent) reports, per
 * device, a DeviceSeen heartbeat, an ActionProgressed and a successful ActionFinished — 3N reports, put on a fresh
 * 6-partition topic, then read back by a plain consumer and applied as the service applies them. <em>Before</em>: per
 * report inside one transaction per poll of 500 (the service until this change, and still its path for a batch that
 * failed); <em>after</em>: set-based, polls of 1,000 ({@code DeviceReportConsumer.onReports}). The same two ways for
 * a fleet of N new devices registering at once (N DeviceRegistered). Then the wave's reports through
 * the running service's own device-reports channel, from the first send until every action SUCCEEDED. Prints the
 * JVM's CPU time per report (the database's is not in it) and {@code uptime} with every figure; figures, never
 * assertions on time. {@code -Dbench.before=false} skips the per-report run.
 */
@QuarkusTest
@TestProfile(ReportIntakeBenchmark.WholeWaveDispatch.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class ReportIntakeBenchmark {
    private static final int DEVICES = Integer.getInteger("bench.devices", 20_000);
    private static final boolean BEFORE = Boolean.parseBoolean(System.getProperty("bench.before", "true"));

    /** The dispatcher creates a benchmark wave's actions in one chunk (tests use 50), so setting up is quick. */
    public static class WholeWaveDispatch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.dispatch.chunk-size", "20000");
        }
    }

    @Inject
    DeviceReportConsumer consumer;
    @Inject
    BatchConsumption batches;
    @Inject
    EntityManager entityManager;

    @Test
    void run() throws Exception {
        System.out.printf(Locale.ROOT, "report intake benchmark: %,d devices x (DeviceSeen, ActionProgressed,"
                + " ActionFinished) = %,d reports per run | %s%n", DEVICES, 3 * DEVICES, uptime());
        String dlq = Topics.deadLetter(Topics.DEVICE_REPORTS);
        Consumer<ConsumerRecords<String, String>> perReport = records -> batches.apply(records, dlq,
                payload -> EventJson.read(payload, DeviceReport.class), consumer::applyOne);
        // a short warm-up of both paths (JIT, connection pool), not measured
        measure("warm-up per report", Math.min(DEVICES, 2_000), 500, perReport);
        measure("warm-up set-based", Math.min(DEVICES, 2_000), 1_000, consumer::onReports);

        Figures before = BEFORE ? measure("before: per report, polls of 500", DEVICES, 500, perReport) : null;
        Figures after = measure("after: set-based, polls of 1,000", DEVICES, 1_000, consumer::onReports);
        if (before != null) {
            System.out.printf(Locale.ROOT, "RESULT reports/s: before %,.0f | after %,.0f (x%.1f); JVM CPU per report:"
                    + " before %.0f us | after %.0f us (x%.2f) | %s%n", before.rate, after.rate,
                    after.rate / before.rate, before.cpuMicros, after.cpuMicros, after.cpuMicros / before.cpuMicros,
                    uptime());
        }
        Figures registeredBefore = BEFORE ? registrations("registrations before: per report", DEVICES, 500, perReport)
                : null;
        Figures registeredAfter = registrations("registrations after: set-based", DEVICES, 1_000, consumer::onReports);
        if (registeredBefore != null) {
            System.out.printf(Locale.ROOT, "RESULT DeviceRegistered/s: before %,.0f | after %,.0f (x%.1f); JVM CPU per"
                    + " report: before %.0f us | after %.0f us | %s%n", registeredBefore.rate, registeredAfter.rate,
                    registeredAfter.rate / registeredBefore.rate, registeredBefore.cpuMicros,
                    registeredAfter.cpuMicros, uptime());
        }
        Figures channel = throughTheChannel(DEVICES);
        System.out.printf(Locale.ROOT, "RESULT through the device-reports channel: %,.0f reports/s, JVM CPU %.0f us per"
                + " report | %s%n", channel.rate, channel.cpuMicros, uptime());
    }

    private record Figures(double rate, double cpuMicros) {
    }

    /** A wave's reports: reports per second from the first poll until the last record is applied. */
    private Figures measure(String name, int devices, int maxPollRecords,
            Consumer<ConsumerRecords<String, String>> apply) throws Exception {
        Wave wave = wave(devices);
        Figures figures = apply(name, reports(wave), maxPollRecords, apply);
        assertThat(succeeded(wave.rolloutId)).as("every action succeeded").isEqualTo(devices);
        return figures;
    }

    /** A fleet registering at once: N DeviceRegistered of new devices. */
    private Figures registrations(String name, int devices, int maxPollRecords,
            Consumer<ConsumerRecords<String, String>> apply) throws Exception {
        String model = Fleet.uniqueModel();
        List<DeviceReport> reports = new ArrayList<>(devices);
        for (int i = 1; i <= devices; i++) {
            reports.add(Fleet.registered(model + "-" + i, model, "1"));
        }
        Figures figures = apply(name, reports, maxPollRecords, apply);
        assertThat(count("select count(*) from device where model = ?1", model)).as("every device registered")
                .isEqualTo(devices);
        return figures;
    }

    private Figures apply(String name, List<DeviceReport> reports, int maxPollRecords,
            Consumer<ConsumerRecords<String, String>> apply) throws Exception {
        String topic = "bench-reports-" + UUID.randomUUID();
        try (Admin admin = Admin.create(props(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            // a producer racing the new partitions' leader election can get stuck retrying: wait for the leaders
            eventually().until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().allMatch(partition -> partition.leader() != null));
        }
        send(topic, reports);
        Properties props = props(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        int count = reports.size();
        int applied = 0;
        int polls = 0;
        long started;
        long cpuStarted;
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props)) {
            reader.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = reader.poll(Duration.ofSeconds(30));
            started = System.nanoTime();
            cpuStarted = processCpuNanos();
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
        double cpuMicros = (processCpuNanos() - cpuStarted) / 1e3 / count;
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "%-36s %,7d reports in %6.2f s (%3d polls): %,8.0f reports/s, JVM CPU %4.0f us"
                + " per report | %s%n", name, count, seconds, polls, rate, cpuMicros, uptime());
        return new Figures(rate, cpuMicros);
    }

    /** The running service's own consumer: from the first send until every action SUCCEEDED. */
    private Figures throughTheChannel(int devices) throws Exception {
        Wave wave = wave(devices);
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        send(Topics.DEVICE_REPORTS, reports(wave));
        double sent = (System.nanoTime() - started) / 1e9;
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> succeeded(wave.rolloutId) == devices);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuStarted) / 1e3 / (3.0 * devices);
        double rate = 3 * devices / seconds;
        System.out.printf(Locale.ROOT, "%-36s %,7d reports in %6.2f s (sent in %.2f s): %,8.0f reports/s, JVM CPU"
                + " %4.0f us per report (producer included) | %s%n", "through the device-reports channel",
                3 * devices, seconds, sent, rate, cpuMicros, uptime());
        return new Figures(rate, cpuMicros);
    }

    /** A running wave: N devices on an old release, a rollout of a new one to all of them, every action created. */
    private record Wave(String rolloutId, List<String> devices, List<Long> actions, String cohort, String releaseId) {
    }

    private Wave wave(int devices) {
        String model = Fleet.uniqueModel();
        String oldRelease = UUID.randomUUID().toString();
        String newRelease = UUID.randomUUID().toString();
        Broker.send(Fleet.release(oldRelease, "1.0.0", model));
        Broker.send(Fleet.release(newRelease, "2.0.0", model));
        Api.awaitRelease(oldRelease);
        Api.awaitRelease(newRelease);
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                insert into device (device_id, attributes, model, revision, installed_release_id, installed_version,
                                    last_seen)
                select ?1 || '-' || lpad(g::text, 7, '0'), jsonb_build_object('model', ?1, 'revision', '1'), ?1, '1',
                       ?2, '1.0.0', now() - interval '1 hour'
                from generate_series(1, ?3) g""")
                .setParameter(1, model).setParameter(2, oldRelease).setParameter(3, devices).executeUpdate());
        String rolloutId = Api.createRollout(Map.of("releaseId", newRelease, "target", Map.of("model", model),
                "waves", List.of(100), "canaryPerCohort", 0, "soakTime", "PT1H"))
                .then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("select count(*) from device_action where rollout_id = ?1", rolloutId) == devices
                        && count("select count(*) from command_dispatch where rollout_id = ?1", rolloutId) == 0);
        List<String> ids = new ArrayList<>(devices);
        List<Long> actions = new ArrayList<>(devices);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select device_id, action_id from device_action where rollout_id = ?1 order by device_id")
                .setParameter(1, rolloutId).getResultList());
        for (Object[] row : rows) {
            ids.add((String) row[0]);
            actions.add(((Number) row[1]).longValue());
        }
        return new Wave(rolloutId, ids, actions, model + ":1", newRelease);
    }

    /** Per device, in this order: a heartbeat, progress, success. */
    private static List<DeviceReport> reports(Wave wave) {
        List<DeviceReport> reports = new ArrayList<>(3 * wave.devices.size());
        for (int i = 0; i < wave.devices.size(); i++) {
            String device = wave.devices.get(i);
            long action = wave.actions.get(i);
            reports.add(new DeviceReport.DeviceSeen(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    device));
            reports.add(new DeviceReport.ActionProgressed(EventMeta.newId(), EventMeta.now(),
                    UpdraftEvent.SCHEMA_VERSION, device, action, wave.rolloutId, wave.cohort, "proceeding", List.of()));
            reports.add(new DeviceReport.ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    device, action, wave.rolloutId, 1, wave.cohort, wave.releaseId, "2.0.0", false,
                    DeviceReport.Outcome.SUCCESS, List.of()));
        }
        return reports;
    }

    /** Keyed by device, so each device's reports are in order on its partition. */
    private static void send(String topic, List<DeviceReport> reports) throws Exception {
        Properties props = props(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sent = new ArrayList<>(reports.size());
            for (DeviceReport report : reports) {
                sent.add(producer.send(new ProducerRecord<>(topic, report.deviceId(), EventJson.write(report))));
            }
            for (Future<?> ack : sent) {
                ack.get();
            }
        }
    }

    private long succeeded(String rolloutId) {
        return count("select count(*) from device_action where rollout_id = ?1 and state = 'SUCCEEDED'", rolloutId);
    }

    private long count(String sql, String rolloutId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(sql)
                .setParameter(1, rolloutId).getSingleResult()).longValue());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Properties props(String bootstrapKey) {
        Properties props = new Properties();
        props.put(bootstrapKey, DevStack.shared().kafkaBootstrap());
        return props;
    }

    private static org.awaitility.core.ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }

    private static String uptime() {
        try {
            Process process = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return "uptime: " + out;
        } catch (Exception e) {
            return "uptime: unknown";
        }
    }
}
