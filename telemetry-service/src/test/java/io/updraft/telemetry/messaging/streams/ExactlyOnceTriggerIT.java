package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.testsupport.TestKafka;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.UpdraftEvent;
import io.updraft.telemetry.domain.CohortPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @QuarkusTest} only to share the test JVM's one dev stack (its class loader holds it); the service's own
 * topology runs beside on the standard topics and never sees these.
 * <p>
 * The real broker, the real exactly-once processing: two instances of the health topology share the work, each is
 * stopped and started again (its state restored from the changelogs) while failures and redeliveries keep coming, and
 * every failing cohort is still rolled back exactly once. Topics of its own, so no other test's instance interferes.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class ExactlyOnceTriggerIT {
    private static final Duration AT_MOST = Duration.ofSeconds(120);
    private static final List<String> FAILING = IntStream.rangeClosed(1, 6).mapToObj(i -> "model-" + i + ":1").toList();
    private static final String HEALTHY = "model-ok:1";

    private final String prefix = "eos-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final String applicationId = prefix + "health";
    private final TopologySettings settings = new TopologySettings("device-reports", "device-telemetry",
            "rollout-events", "rollbacks", HealthTopologyTest.DEFAULTS, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofHours(1)).withTopicPrefix(prefix);
    private final String rolloutId = "rollout-" + UUID.randomUUID();
    private final AtomicLong actionIds = new AtomicLong(1);
    private final List<KafkaStreams> running = new ArrayList<>();
    private KafkaProducer<String, String> producer;
    @TempDir
    Path stateDirs;

    @AfterEach
    void stop() {
        running.forEach(streams -> streams.close(Duration.ofSeconds(10)));
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void given_two_instances_restarted_one_after_the_other_when_failures_and_redeliveries_arrive_then_one_trigger_per_cohort()
            throws Exception {
        createTopics();
        KafkaStreams first = start("first");
        KafkaStreams second = start("second");
        awaitRunning(first, second);

        // given: every failing cohort crosses its threshold (3 of 3 failed), the healthy one never does
        List<ActionFinished> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String cohort : FAILING) {
                sent.add(send(cohort, Outcome.FAILURE));
            }
            send(HEALTHY, Outcome.SUCCESS);
        }
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500))
                .until(() -> triggers().stream().map(RollbackTriggered::cohort).distinct().count() == FAILING.size());

        // when: one instance stops while more failures and every earlier report (redelivered) arrive; it comes back
        // with empty local state, then the other one restarts the same way
        first.close(Duration.ofSeconds(30));
        running.remove(first);
        sent.forEach(this::resend);
        for (String cohort : FAILING) {
            send(cohort, Outcome.FAILURE);
        }
        KafkaStreams firstAgain = start("first-again");
        awaitRunning(firstAgain, second);
        second.close(Duration.ofSeconds(30));
        running.remove(second);
        for (String cohort : FAILING) {
            send(cohort, Outcome.FAILURE);
            send(HEALTHY, Outcome.SUCCESS);
        }
        KafkaStreams secondAgain = start("second-again");
        awaitRunning(firstAgain, secondAgain);
        for (String cohort : FAILING) {
            send(cohort, Outcome.FAILURE);
        }

        // then: once everything sent is processed, still exactly one trigger per failing cohort, none for the healthy
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500)).until(this::caughtUp);
        List<RollbackTriggered> triggers = triggers();
        Map<String, Long> perCohort = triggers.stream()
                .collect(Collectors.groupingBy(RollbackTriggered::cohort, Collectors.counting()));
        assertThat(perCohort).containsOnlyKeys(FAILING.toArray(String[]::new));
        assertThat(perCohort.values()).allMatch(count -> count == 1);
        assertThat(triggers).allSatisfy(t -> {
            assertThat(t.reason()).isEqualTo("failedInstalls: 3 of 3 installs failed (1.00 >= 0.50, sample 3)");
            assertThat(t.eventId()).isEqualTo(CohortReferee.decisionId(rolloutId, t.cohort()));
        });
    }

    @Test
    void given_health_pending_in_the_tracker_when_another_instance_takes_over_then_every_report_counts_once()
            throws Exception {
        createTopics();
        KafkaStreams first = start("health-first");
        awaitRunning(first);
        String cohort = "model-health:1";
        List<String> devices = IntStream.range(0, 5).mapToObj(i -> "dev-" + UUID.randomUUID()).toList();
        for (String device : devices) {
            sendHealth(device); // on the previous release: the baseline
            sendInstalled(device, cohort);
        }

        // when: reports arrive, the instance stops with sums possibly pending, more arrive, a fresh one takes over
        for (int round = 0; round < 4; round++) {
            devices.forEach(this::sendHealth);
        }
        first.close(Duration.ofSeconds(30));
        running.remove(first);
        for (int round = 0; round < 4; round++) {
            devices.forEach(this::sendHealth);
        }
        KafkaStreams second = start("health-second");
        awaitRunning(second);

        // then: the cohort's totals hold each of the 40 reports on the new release once
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500)).until(() -> healthReportsOf(second, cohort) == 40);
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500)).until(this::caughtUp);
        assertThat(healthReportsOf(second, cohort)).isEqualTo(40);
    }

    @Test
    void given_health_pending_in_the_tracker_when_its_thread_crashes_between_commits_then_every_report_counts_once()
            throws Exception {
        createTopics();
        // a RolloutCreated the policy function fails on, once: the stream thread dies in the middle of its work
        String poison = "poison-" + UUID.randomUUID();
        AtomicInteger policies = new AtomicInteger();
        AtomicInteger crashed = new AtomicInteger();
        // commits 3 s apart: what the thread did since the last one is lost with it (its transaction aborts)
        KafkaStreams streams = start("crash", 3000, created -> {
            if (created.rolloutId().equals(poison) && policies.getAndIncrement() == 0) {
                throw new IllegalStateException("the stream thread crashes (test)");
            }
            return settings.defaults();
        }, instance -> instance.setUncaughtExceptionHandler(e -> {
            crashed.incrementAndGet();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }));
        awaitRunning(streams);
        String cohort = "model-crash:1";
        List<String> devices = IntStream.range(0, 5).mapToObj(i -> "dev-" + UUID.randomUUID()).toList();
        for (String device : devices) {
            sendHealth(device, 0, 0); // two reports on the previous release (one with a crash): the baseline
            sendHealth(device, 0, 1);
            sendInstalled(device, cohort, 0);
        }
        for (int round = 0; round < 4; round++) {
            for (int d = 0; d < devices.size(); d++) {
                sendHealth(devices.get(d), 0, d == 0 ? 2 : 0);
            }
        }
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500))
                .until(() -> healthReportsOf(streams, cohort) == 20);
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500)).until(this::caughtUp); // committed

        // when: more reports, and the thread crashes before its next commit (all on partition 0: one task, in order)
        for (int round = 0; round < 4; round++) {
            for (int d = 0; d < devices.size(); d++) {
                sendHealth(devices.get(d), 0, d == 0 ? 2 : 0);
            }
        }
        send(settings.rolloutEvents(), 0, poison, EventJson.write(new RolloutCreated(EventMeta.newId(),
                EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, poison, "poison", "release-2", "1.2.0", 1, 1,
                List.of("poison:1"), null)));

        // then: a new thread restored the committed state and processed the lost part again: the same aggregates as
        // without the crash (40 reports, 8 x 2 crashes, the metric of each, the baseline of 10 reports, 5 crashes)
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(200)).until(() -> crashed.get() == 1);
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500))
                .until(() -> healthReportsOf(streams, cohort) == 40);
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500)).until(this::caughtUp);
        CohortState state = cohortState(streams, cohort);
        assertThat(state.totals().healthReports()).isEqualTo(40);
        assertThat(state.totals().crashes()).isEqualTo(16);
        assertThat(state.totals().metricCounts()).containsEntry("cpu", 40L);
        assertThat(state.totals().metricSums().get("cpu")).isCloseTo(40 * 0.25, within(1e-9));
        assertThat(state.totals().succeeded()).isEqualTo(5);
        assertThat(state.baseline().healthReports()).isEqualTo(10);
        assertThat(state.baseline().crashes()).isEqualTo(5);
        assertThat(policies.get()).isGreaterThanOrEqualTo(2); // the poison was processed again, after the crash
        assertThat(crashed.get()).isEqualTo(1);
    }

    private KafkaStreams start(String name) throws Exception {
        return start(name, 100, created -> settings.defaults(), streams -> {
        });
    }

    private KafkaStreams start(String name, int commitIntervalMs,
            java.util.function.Function<RolloutCreated, CohortPolicy> policyOf,
            java.util.function.Consumer<KafkaStreams> beforeStart) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.CLIENT_ID_CONFIG, applicationId + "-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(stateDirs, name).toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, policyOf), props);
        beforeStart.accept(streams);
        streams.start();
        running.add(streams);
        return streams;
    }

    private static void awaitRunning(KafkaStreams... instances) {
        await().atMost(AT_MOST).pollInterval(Duration.ofMillis(200)).until(() -> java.util.Arrays.stream(instances)
                .allMatch(s -> s.state() == KafkaStreams.State.RUNNING));
    }

    private void createTopics() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(settings.deviceReports(), 6, (short) 1),
                    new NewTopic(settings.deviceTelemetry(), 6, (short) 1),
                    new NewTopic(settings.rolloutEvents(), 3, (short) 1),
                    new NewTopic(settings.rollbacks(), 3, (short) 1))).all().get();
        }
    }

    private void sendHealth(String device) {
        HealthReported health = new HealthReported(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, true, 0, true, Map.of());
        send(settings.deviceTelemetry(), null, device, EventJson.write(health));
    }

    /** A report with a crash count and a metric ({@code cpu} 0.25) on the given partition. */
    private void sendHealth(String device, Integer partition, int crashes) {
        HealthReported health = new HealthReported(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, true, crashes, true, Map.of("cpu", 0.25));
        send(settings.deviceTelemetry(), partition, device, EventJson.write(health));
    }

    private void sendInstalled(String device, String cohort) {
        sendInstalled(device, cohort, null);
    }

    private void sendInstalled(String device, String cohort, Integer partition) {
        ActionFinished finished = new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, actionIds.incrementAndGet(), rolloutId, 1, cohort, "release-2", "1.2.0", false,
                Outcome.SUCCESS, List.of());
        send(settings.deviceReports(), partition, device, EventJson.write(finished));
    }

    /** @param partition null: by key */
    private void send(String topic, Integer partition, String key, String json) {
        try {
            producer().send(new ProducerRecord<>(topic, partition, key, json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cohort's health reports as its referee's state holds them (-1 while the store cannot be queried). */
    private long healthReportsOf(KafkaStreams streams, String cohort) {
        try {
            CohortState state = cohortState(streams, cohort);
            return state == null ? 0 : state.totals().healthReports();
        } catch (InvalidStateStoreException e) {
            return -1;
        }
    }

    private CohortState cohortState(KafkaStreams streams, String cohort) {
        return streams.store(StoreQueryParameters.fromNameAndType(HealthTopology.COHORT_STORE,
                QueryableStoreTypes.<String, CohortState>keyValueStore())).get(CohortSignal.keyOf(rolloutId, cohort));
    }

    private ActionFinished send(String cohort, Outcome outcome) {
        ActionFinished finished = new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                "dev-" + UUID.randomUUID(), actionIds.incrementAndGet(), rolloutId, 1, cohort, "release-2", "1.2.0",
                false, outcome, List.of());
        resend(finished);
        return finished;
    }

    private void resend(ActionFinished finished) {
        try {
            producer().send(new ProducerRecord<>(settings.deviceReports(), finished.deviceId(),
                    EventJson.write(finished))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The application's committed offsets reached the end of its input and of its repartition topic. */
    private boolean caughtUp() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            List<String> topics = List.of(settings.deviceReports(), settings.deviceTelemetry(),
                    settings.rolloutEvents(), applicationId + "-" + HealthTopology.SIGNALS + "-repartition");
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values()
                    .stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(end -> {
                long last = end.getValue().offset();
                OffsetAndMetadata done = committed.get(end.getKey());
                // the repartition topic is written in transactions: its end may be a commit marker nobody consumes
                long slack = end.getKey().topic().endsWith("-repartition") ? 1 : 0;
                return last == 0 || done != null && done.offset() >= last - slack;
            });
        }
    }

    /** Every RollbackTriggered on the rollbacks topic as a read_committed consumer downstream sees it. */
    private List<RollbackTriggered> triggers() {
        return TestKafka.records(settings.rollbacks()).stream()
                .map(r -> (RollbackTriggered) EventJson.read(r.value(), RollbackEvent.class)).toList();
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap()));
    }
}
