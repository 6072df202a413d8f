package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.kafka.streams.runtime.KafkaStreamsPropertiesUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service's RocksDB stores, read through Kafka Streams' own store metrics ({@code stream-state-metrics},
 * recorded at the default INFO level): every store reports the configured capacity of one cache and one usage — the
 * shared cache's — rather than a cache of its own each (Kafka Streams' default: 50 MiB per store). And standby replicas
 * of the health topology, whose stores take their memory from the same budget.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class BoundedRocksDbMemoryIT {
    private static final Duration AT_MOST = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final long KAFKA_STREAMS_DEFAULT_CACHE = 50L << 20;
    private static final String KEY_VALUE_STORE = "rocksdb-state-id";
    private static final String WINDOW_STORE = "rocksdb-window-state-id";

    @Inject
    KafkaStreams service;

    @ConfigProperty(name = RocksDbMemoryBudget.BLOCK_CACHE_BYTES)
    long cacheBytes;

    @TempDir
    Path stateDirs;

    private final List<KafkaStreams> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(streams -> streams.close(Duration.ofSeconds(30)));
    }

    @Test
    void given_the_service_with_data_in_its_stores_when_they_report_then_all_use_the_one_configured_cache() {
        String rolloutId = "rollout-" + UUID.randomUUID();
        for (int i = 0; i < 200; i++) {
            TestKafka.send(installed(rolloutId, "dev-" + UUID.randomUUID(), i % 2 == 0 ? "board:A" : "board:B"));
        }
        // the windowed store opens a RocksDB instance per segment, with the first window written
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> service.state() == KafkaStreams.State.RUNNING
                && openStores(service, WINDOW_STORE).size() >= 1);

        Map<MetricName, Long> capacities = storeMetrics(service, "block-cache-capacity");
        assertThat(cacheBytes).isNotEqualTo(KAFKA_STREAMS_DEFAULT_CACHE);
        assertThat(openStores(service, KEY_VALUE_STORE).values()).as("capacity per key-value store")
                .hasSizeGreaterThanOrEqualTo(4).containsOnly(cacheBytes);
        // every store reports the one cache, or 0 (a windowed store without a segment yet): containsOnly would also
        // demand a store that reports 0, which a run where every window already has a segment does not have
        assertThat(capacities.values()).as("capacity per store (0: a windowed store without a segment yet)")
                .contains(cacheBytes).isSubsetOf(cacheBytes, 0L);
        assertThat(SharedRocksDbMemory.stores()).as("stores sharing the cache (a windowed store: one per segment)")
                .isGreaterThanOrEqualTo(openStores(service, KEY_VALUE_STORE).size()
                        + openStores(service, WINDOW_STORE).size());
        awaitOneUsage(service);
        System.out.printf("%d stores of %d tasks report block-cache-capacity %d (%d windowed stores without a segment"
                + " report 0); %d RocksDB instances share the one cache, usage %d%n", capacities.size(),
                taskIdsOf(capacities).size(), cacheBytes, capacities.values().stream().filter(v -> v == 0).count(),
                SharedRocksDbMemory.stores(), SharedRocksDbMemory.usage());
    }

    @Test
    void given_two_instances_with_one_standby_replica_when_assigned_then_each_keeps_standbys_within_the_one_budget()
            throws Exception {
        String prefix = "standby-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopologySettings settings = new TopologySettings("device-reports", "device-telemetry", "rollout-events",
                "rollbacks", HealthTopologyTest.DEFAULTS, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofHours(1)).withTopicPrefix(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                DevStack.shared().kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(settings.deviceReports(), 2, (short) 1),
                    new NewTopic(settings.deviceTelemetry(), 2, (short) 1),
                    new NewTopic(settings.rolloutEvents(), 1, (short) 1),
                    new NewTopic(settings.rollbacks(), 1, (short) 1))).all().get();
        }
        int before = SharedRocksDbMemory.stores();

        KafkaStreams first = start(settings, prefix + "health", "first");
        KafkaStreams second = start(settings, prefix + "health", "second");

        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            assertThat(first.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(second.state()).isEqualTo(KafkaStreams.State.RUNNING);
            Set<String> firstActive = tasks(first, ThreadMetadata::activeTasks);
            Set<String> secondActive = tasks(second, ThreadMetadata::activeTasks);
            assertThat(firstActive).isNotEmpty();
            assertThat(secondActive).isNotEmpty();
            // each instance keeps standbys of (stateful) tasks the other one runs, never of its own
            assertThat(tasks(first, ThreadMetadata::standbyTasks)).isNotEmpty().isSubsetOf(secondActive);
            assertThat(tasks(second, ThreadMetadata::standbyTasks)).isNotEmpty().isSubsetOf(firstActive);
        });
        Set<String> standbys = tasks(first, ThreadMetadata::standbyTasks);
        assertThat(taskIdsOf(storeMetrics(first, "block-cache-capacity"))).as("standby stores report too")
                .containsAll(standbys);
        assertThat(Stream.of(first, second).flatMap(s -> openStores(s, KEY_VALUE_STORE).values().stream()))
                .isNotEmpty().containsOnly(cacheBytes);
        assertThat(SharedRocksDbMemory.stores()).as("the active and standby stores of both instances share the cache")
                .isGreaterThan(before);
        awaitOneUsage(service, first, second);
        System.out.printf("standby tasks %s and %s; %d RocksDB instances in this process share one %d-byte cache%n",
                standbys, tasks(second, ThreadMetadata::standbyTasks), SharedRocksDbMemory.stores(), cacheBytes);
    }

    /** An instance configured as the service is (its kafka-streams.* properties), with a standby replica. */
    private KafkaStreams start(TopologySettings settings, String applicationId, String name) throws Exception {
        Properties props = KafkaStreamsPropertiesUtil.appKafkaStreamsProperties();
        assertThat(props).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                BoundedRocksDbMemory.class.getName()).containsEntry(RocksDbMemoryBudget.BLOCK_CACHE_BYTES,
                        String.valueOf(cacheBytes)).containsKey(RocksDbMemoryBudget.WRITE_BUFFER_BYTES);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.CLIENT_ID_CONFIG, applicationId + "-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(stateDirs, name).toString());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, created -> settings.defaults()), props);
        streams.start();
        started.add(streams);
        return streams;
    }

    /**
     * Every store of the given instances reports the usage of the shared cache (read unchanged before and after, so no
     * write slipped in between): with a cache per store each would report its own.
     */
    private static void awaitOneUsage(KafkaStreams... instances) {
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            long before = SharedRocksDbMemory.usage();
            List<Long> usages = Stream.of(instances).flatMap(s -> {
                Map<MetricName, Long> capacity = storeMetrics(s, "block-cache-capacity");
                return storeMetrics(s, "block-cache-usage").entrySet().stream()
                        .filter(usage -> capacity.getOrDefault(capacityOf(usage.getKey()), 0L) != 0)
                        .map(Map.Entry::getValue);
            }).toList();
            long after = SharedRocksDbMemory.usage();
            assertThat(before).isPositive().isEqualTo(after);
            assertThat(usages).hasSizeGreaterThanOrEqualTo(2).containsOnly(before);
        });
    }

    private static Map<MetricName, Long> storeMetrics(KafkaStreams streams, String name) {
        Map<MetricName, Long> values = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            if (metric.getKey().group().equals("stream-state-metrics") && metric.getKey().name().equals(name)) {
                values.put(metric.getKey(), ((Number) metric.getValue().metricValue()).longValue());
            }
        }
        return values;
    }

    /** The capacity per store of the given kind ({@link #KEY_VALUE_STORE}, {@link #WINDOW_STORE}) with RocksDB open. */
    private static Map<MetricName, Long> openStores(KafkaStreams streams, String kind) {
        Map<MetricName, Long> open = new HashMap<>();
        storeMetrics(streams, "block-cache-capacity").forEach((metric, capacity) -> {
            if (metric.tags().containsKey(kind) && capacity != 0) {
                open.put(metric, capacity);
            }
        });
        return open;
    }

    private static MetricName capacityOf(MetricName usage) {
        return new MetricName("block-cache-capacity", usage.group(), "", usage.tags());
    }

    private static Set<String> taskIdsOf(Map<MetricName, Long> metrics) {
        Set<String> ids = new HashSet<>();
        metrics.keySet().forEach(m -> ids.add(m.tags().get("task-id")));
        return ids;
    }

    private static Set<String> tasks(KafkaStreams streams,
            java.util.function.Function<ThreadMetadata, Set<TaskMetadata>> which) {
        Set<String> ids = new HashSet<>();
        streams.metadataForLocalThreads().forEach(t -> which.apply(t).forEach(task -> ids.add(task.taskId().toString())));
        return ids;
    }

    private static ActionFinished installed(String rolloutId, String device, String cohort) {
        return new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, device, 1L,
                rolloutId, 1, cohort, "release-2", "1.2.0", false, Outcome.SUCCESS, List.of());
    }
}
