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
import io.updraft.events.UpdraftEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @QuarkusTest} only to share the test JVM's one dev stack; the service's own topology runs beside on the
 * standard topics and never sees these.
 * <p>
 * The real broker, at-least-once with the service's commit interval for it, and a process
 * killed (SIGKILL) after processing and before any commit: an instance started in its place, with those
 * settings, restores the committed state (none) and processes every record again, beside the signals the
 * killed one had already put on the repartition topic. The killed process commits an hour apart, so the kill lands
 * between processing and commit whatever the default interval: the replay is everything it processed, more than any
 * interval can leave uncommitted. The effect is still exactly once: each install result and health report counts
 * once, and every RollbackTriggered sent carries the decision's one event id (rollout-service's inbox drops the
 * copies by it).
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class AtLeastOnceTriggerIT {
    private static final Duration AT_MOST = Duration.ofSeconds(240);
    private static final String FAILING = "model-fail:1";
    private static final String HEALTHY = "model-ok:1";

    private final String prefix = "alos-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final String applicationId = prefix + "health";
    private final TopologySettings settings = AtLeastOnceTopologyProcess.settings(prefix);
    private final String rolloutId = "rollout-" + UUID.randomUUID();
    private final AtomicLong actionIds = new AtomicLong(1);
    private final List<KafkaStreams> running = new ArrayList<>();
    private KafkaProducer<String, String> producer;
    private Process process;
    @TempDir
    Path stateDirs;
    /** At-least-once, with the service's own commit interval for it (application.properties). */
    private final String guarantee = StreamsConfig.AT_LEAST_ONCE;
    @ConfigProperty(name = "updraft.telemetry.commit-interval-ms.at_least_once")
    int commitIntervalMs;
    @ConfigProperty(name = "updraft.telemetry.commit-interval-ms.exactly_once_v2")
    int exactlyOnceCommitIntervalMs;

    @AfterEach
    void stop() {
        running.forEach(streams -> streams.close(Duration.ofSeconds(10)));
        if (producer != null) {
            producer.close();
        }
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void given_at_least_once_when_the_process_is_killed_between_processing_and_commit_then_every_report_counts_once_and_one_decision_id()
            throws Exception {
        assertThat(commitIntervalMs).as("at-least-once's commit interval: longer than exactly-once's, more to replay")
                .isGreaterThan(exactlyOnceCommitIntervalMs);
        createTopics();
        AtomicBoolean runs = new AtomicBoolean();
        process = startProcess(runs);
        waiting().pollInterval(Duration.ofMillis(200)).until(runs::get);

        // given: 4 devices of the failing cohort installed and report twice each, 3 of the healthy one installed;
        // then 5 failures: 5 of 9 failed (the decision is taken at the 4th, 4 of 8); all on partition 0, one task
        List<String> devices = IntStream.range(0, 4).mapToObj(i -> "dev-" + UUID.randomUUID()).toList();
        for (String device : devices) {
            sendInstalled(device, FAILING, Outcome.SUCCESS);
        }
        for (int i = 0; i < 3; i++) {
            sendInstalled("dev-" + UUID.randomUUID(), HEALTHY, Outcome.SUCCESS);
        }
        for (int round = 0; round < 2; round++) {
            devices.forEach(device -> sendHealth(device, 0, 0));
        }
        for (int i = 0; i < 5; i++) {
            sendInstalled("dev-" + UUID.randomUUID(), FAILING, Outcome.FAILURE);
        }
        // the killed process decided, and sent every install result and heartbeat and a health sum on
        waiting().pollInterval(Duration.ofMillis(500)).until(() -> !triggers().isEmpty());
        waiting().pollInterval(Duration.ofMillis(500)).until(() -> repartitioned() >= 17);
        assertThat(committedOffsets()).as("nothing committed before the kill").isEmpty();
        long sentBeforeTheKill = repartitioned();

        // when: the process is killed (SIGKILL: no flush, no close, no commit) and another instance takes over
        process.destroyForcibly().waitFor();
        KafkaStreams streams = start("after-kill");
        waiting().pollInterval(Duration.ofMillis(500)).until(this::caughtUp);

        // then: the replay sent the signals again, and still each counts once; one event id however often sent
        assertThat(repartitioned()).as("signals on the repartition topic: the replay sent them again")
                .isGreaterThanOrEqualTo(sentBeforeTheKill + 16);
        CohortState failing = queried(streams, FAILING);
        assertThat(failing.totals().succeeded()).isEqualTo(4);
        assertThat(failing.totals().failed()).isEqualTo(5);
        assertThat(failing.totals().healthReports()).isEqualTo(8);
        assertThat(failing.totals().metricCounts()).containsEntry("cpu", 8L);
        assertThat(failing.totals().heartbeatsReturned()).isEqualTo(4);
        assertThat(failing.decided()).isTrue();
        assertThat(queried(streams, HEALTHY).totals().succeeded()).isEqualTo(3);
        List<RollbackTriggered> triggers = triggers();
        assertThat(triggers).isNotEmpty().allSatisfy(t -> {
            assertThat(t.cohort()).isEqualTo(FAILING);
            assertThat(t.eventId()).isEqualTo(CohortReferee.decisionId(rolloutId, FAILING));
            assertThat(t.reason()).isEqualTo("failedInstalls: 4 of 8 installs failed (0.50 >= 0.50, sample 3)");
        });
        System.out.printf("RollbackTriggered records on the topic: %d (one event id); signals repartitioned: %d before"
                + " the kill, %d in all%n", triggers.size(), sentBeforeTheKill, repartitioned());
    }

    /** The topology in a JVM of its own, on this JVM's class path; {@code runs} once it printed RUNNING. */
    private Process startProcess(AtomicBoolean runs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process started = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AtLeastOnceTopologyProcess.class.getName(), DevStack.shared().kafkaBootstrap(), prefix, applicationId,
                Files.createTempDirectory(stateDirs, "killed").toString(), guarantee).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(started.getInputStream()))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.equals("RUNNING")) {
                        runs.set(true);
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
        }, "at-least-once-process-output");
        reader.setDaemon(true);
        reader.start();
        return started;
    }

    private KafkaStreams start(String name) throws Exception {
        KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, created -> settings.defaults()),
                AtLeastOnceTopologyProcess.props(DevStack.shared().kafkaBootstrap(), applicationId,
                        Files.createTempDirectory(stateDirs, name).toString(), guarantee, commitIntervalMs));
        streams.start();
        running.add(streams);
        return streams;
    }

    /** Awaits that leave a stream thread's death to Kafka Streams. */
    private static org.awaitility.core.ConditionFactory waiting() {
        return await().atMost(AT_MOST).dontCatchUncaughtExceptions();
    }



    /** The cohort's state, once its store can be queried (a replaced thread's task may still be restoring). */
    private CohortState queried(KafkaStreams streams, String cohort) {
        java.util.concurrent.atomic.AtomicReference<CohortState> state = new java.util.concurrent.atomic.AtomicReference<>();
        waiting().pollInterval(Duration.ofMillis(200)).ignoreException(InvalidStateStoreException.class)
                .until(() -> {
                    state.set(cohortState(streams, cohort));
                    return state.get() != null;
                });
        return state.get();
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOffsets() throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        }
    }

    /** Records on the topology's repartition topic. */
    private long repartitioned() throws Exception {
        try (Admin admin = admin()) {
            String topic = applicationId + "-" + HealthTopology.SIGNALS + "-repartition";
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames().get()
                    .values().stream().flatMap(d -> d.partitions().stream()
                            .map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }


    private void sendInstalled(String device, String cohort, Outcome outcome) {
        ActionFinished finished = new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, actionIds.incrementAndGet(), rolloutId, 1, cohort, "release-2", "1.2.0", false, outcome,
                List.of());
        send(settings.deviceReports(), 0, device, EventJson.write(finished));
    }


    private void createTopics() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(settings.deviceReports(), 6, (short) 1),
                    new NewTopic(settings.deviceTelemetry(), 6, (short) 1),
                    new NewTopic(settings.rolloutEvents(), 3, (short) 1),
                    new NewTopic(settings.rollbacks(), 3, (short) 1))).all().get();
        }
    }


    /** A report with a crash count and a metric ({@code cpu} 0.25) on the given partition. */
    private void sendHealth(String device, Integer partition, int crashes) {
        HealthReported health = new HealthReported(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, true, crashes, true, Map.of("cpu", 0.25));
        send(settings.deviceTelemetry(), partition, device, EventJson.write(health));
    }



    /** @param partition null: by key */
    private void send(String topic, Integer partition, String key, String json) {
        try {
            producer().send(new ProducerRecord<>(topic, partition, key, json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    private CohortState cohortState(KafkaStreams streams, String cohort) {
        return streams.store(StoreQueryParameters.fromNameAndType(HealthTopology.COHORT_STORE,
                QueryableStoreTypes.<String, CohortState>keyValueStore())).get(CohortSignal.keyOf(rolloutId, cohort));
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
                return last == 0 || done != null && done.offset() >= last; // no transactions: no commit markers
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
