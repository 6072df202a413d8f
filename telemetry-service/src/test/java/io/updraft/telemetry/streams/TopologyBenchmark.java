package io.updraft.telemetry.streams;

import io.updraft.devstack.DevStack;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.UpdraftEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Not part of the build (the name matches no test pattern). Run it on purpose:
 * {@code ./mvnw -B -o -pl telemetry-service test -Dtest=TopologyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (sizes: {@code -Dbench.events=200000 -Dbench.devices=2000 -Dbench.trials=50 -Dbench.threads=1}). It prints:
 * <ol>
 * <li>HealthReported/s through the health topology (exactly-once, every report attributed to a cohort, so it is
 * re-keyed, repartitioned and aggregated) against a plain KafkaConsumer that reads and parses the same topic;</li>
 * <li>detection latency: from sending the ActionFinished that crosses the failure-rate threshold to a read_committed
 * consumer receiving the RollbackTriggered.</li>
 * </ol>
 */
class TopologyBenchmark {
    private static final int EVENTS = Integer.getInteger("bench.events", 200_000);
    private static final int DEVICES = Integer.getInteger("bench.devices", 2_000);
    private static final int TRIALS = Integer.getInteger("bench.trials", 50);
    private static final int THREADS = Integer.getInteger("bench.threads", 1);

    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final String applicationId = prefix + "health";
    private final TopologySettings settings = new TopologySettings("device-reports", "device-telemetry",
            "rollout-events", "rollbacks", HealthTopologyTest.DEFAULTS, Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofHours(1)).withTopicPrefix(prefix);
    private final AtomicLong actionIds = new AtomicLong();

    @Test
    void run() throws Exception {
        String bootstrap = DevStack.shared().kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(settings.deviceReports(), 6, (short) 1),
                    new NewTopic(settings.deviceTelemetry(), 6, (short) 1),
                    new NewTopic(settings.rolloutEvents(), 3, (short) 1),
                    new NewTopic(settings.rollbacks(), 3, (short) 1))).all().get();
        }
        String rolloutId = "bench-rollout";
        try (KafkaProducer<String, String> producer = producer()) {
            for (int d = 0; d < DEVICES; d++) {
                // health on the previous release first: every cohort has a baseline, so the crash-regression rule
                // is measured (over its evaluation window) on every report below
                HealthReported before = new HealthReported(EventMeta.newId(), EventMeta.now(),
                        UpdraftEvent.SCHEMA_VERSION, "dev-" + d, true, 0, true, Map.of());
                producer.send(new ProducerRecord<>(settings.deviceTelemetry(), before.deviceId(),
                        EventJson.write(before)));
                ActionFinished installed = finished("dev-" + d, rolloutId, "bench:" + (d % 4), Outcome.SUCCESS);
                producer.send(new ProducerRecord<>(settings.deviceReports(), installed.deviceId(),
                        EventJson.write(installed)));
            }
            for (int i = 0; i < EVENTS; i++) {
                String device = "dev-" + (i % DEVICES);
                HealthReported health = new HealthReported(EventMeta.newId(), EventMeta.now(),
                        UpdraftEvent.SCHEMA_VERSION, device, true, i % 50 == 0 ? 1 : 0, true, Map.of("cpu", 0.3));
                producer.send(new ProducerRecord<>(settings.deviceTelemetry(), device, EventJson.write(health)));
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT,
                "%nbenchmark: %d HealthReported for %d devices on %d cores (machine shared), %d stream thread(s)%n",
                EVENTS + DEVICES, DEVICES, Runtime.getRuntime().availableProcessors(), THREADS);

        double plain = plainConsumerRate(bootstrap);
        System.out.printf(Locale.ROOT, "plain KafkaConsumer (read + parse):   %,10.0f events/s%n", plain);

        KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, created -> settings.defaults()),
                streamsProps(bootstrap));
        AtomicLong runningSince = new AtomicLong();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && runningSince.get() == 0) {
                runningSince.set(System.nanoTime());
            }
        });
        streams.start();
        try {
            long end;
            while (true) {
                if (runningSince.get() != 0 && caughtUp(bootstrap)) {
                    end = System.nanoTime();
                    break;
                }
                Thread.sleep(50); // benchmark, not a test: polling the committed offsets
            }
            double topology = (EVENTS + DEVICES) / ((end - runningSince.get()) / 1e9);
            System.out.printf(Locale.ROOT, "health topology (exactly-once):      %,10.0f events/s  = %.0f %% of plain%n",
                    topology, 100 * topology / plain);
            latency(bootstrap);
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private double plainConsumerRate(String bootstrap) {
        Properties props = consumerProps(bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "plain");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(settings.deviceTelemetry()));
            long read = 0;
            long start = 0;
            while (read < EVENTS + DEVICES) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    EventJson.read(record.value(), DeviceTelemetry.class);
                    read++;
                }
                consumer.commitAsync();
            }
            return read / ((System.nanoTime() - start) / 1e9);
        }
    }

    private void latency(String bootstrap) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            Properties props = consumerProps(bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                List<TopicPartition> partitions = consumer.partitionsFor(settings.rollbacks()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (!done.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        RollbackTriggered t = (RollbackTriggered) EventJson.read(record.value(), RollbackEvent.class);
                        Long sent = sentAt.get(t.rolloutId() + "|" + t.cohort());
                        if (sent != null) {
                            latencies.add((now - sent) / 1_000_000);
                        }
                    }
                }
            }
        });
        reader.start();
        Thread.sleep(2000); // the reader is at the end of the topic
        try (KafkaProducer<String, String> producer = producer()) {
            for (int trial = 0; trial < TRIALS; trial++) {
                String rolloutId = "latency-" + trial;
                String cohort = "lat:" + trial;
                for (int i = 0; i < 2; i++) {
                    ActionFinished failed = finished("lat-" + trial + "-" + i, rolloutId, cohort, Outcome.FAILURE);
                    producer.send(new ProducerRecord<>(settings.deviceReports(), failed.deviceId(),
                            EventJson.write(failed))).get();
                }
                Thread.sleep(300); // the two below-threshold failures are in; the third one crosses the line
                ActionFinished crossing = finished("lat-" + trial + "-x", rolloutId, cohort, Outcome.FAILURE);
                sentAt.put(rolloutId + "|" + cohort, System.nanoTime());
                producer.send(new ProducerRecord<>(settings.deviceReports(), crossing.deviceId(),
                        EventJson.write(crossing)));
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (latencies.size() <= trial && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        }
        done.set(true);
        reader.join();
        List<Long> sorted = latencies.stream().sorted().collect(Collectors.toList());
        if (sorted.isEmpty()) {
            System.out.println("detection latency: no trigger received");
            return;
        }
        System.out.printf(Locale.ROOT, "detection latency over %d/%d trials: p50 %d ms, p99 %d ms, max %d ms%n",
                sorted.size(), TRIALS, percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private boolean caughtUp(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            String repartition = applicationId + "-" + HealthTopology.SIGNALS + "-repartition";
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(settings.deviceTelemetry(),
                    repartition)).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            // until the referee has aggregated everything, not just the tracker read it; the repartition topic is
            // transactional, its end may be one commit marker past the last record
            return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> {
                long slack = e.getKey().topic().equals(repartition) ? 1 : 0;
                OffsetAndMetadata done = committed.get(e.getKey());
                return e.getValue().offset() == 0 || done != null && done.offset() >= e.getValue().offset() - slack;
            });
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private ActionFinished finished(String device, String rolloutId, String cohort, Outcome outcome) {
        return new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, device,
                actionIds.incrementAndGet(), rolloutId, 1, cohort, "release-2", "1.2.0", false, outcome, List.of());
    }

    private Properties streamsProps(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-streams").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
