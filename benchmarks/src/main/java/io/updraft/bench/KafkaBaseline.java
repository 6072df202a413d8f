package io.updraft.bench;

import io.updraft.events.ProducerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The physical limits of the broker on this machine, measured in the same run as the services: a plain
 * {@link KafkaProducer} (acks=all, defaults otherwise) sending records of a given size to a fresh topic, and a plain
 * {@link KafkaConsumer} reading them back.
 */
final class KafkaBaseline {
    private KafkaBaseline() {
    }

    /** Rate and how many; {@code seconds} from the first send until the last acknowledgement / record read. */
    record Rate(long records, double seconds) {
        double perSecond() {
            return records / seconds;
        }
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws ExecutionException,
            InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    static int partitions(String bootstrap, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    /** Records of {@code topic} the consumer group has not committed yet (all partitions). */
    static long lag(String bootstrap, String group, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                var done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        }
    }

    /**
     * Sends {@code count} records, record i's value made by {@code value} (so they differ like real commands and
     * compress like them), each keyed by a distinct device id, with the same CloudEvents headers the outbox relay adds
     * and the services' own producer settings ({@link ProducerSettings#delivery()}: acks=all, idempotent, lz4).
     */
    static Rate produce(String bootstrap, String topic, long count, LongFunction<byte[]> value)
            throws InterruptedException {
        Properties props = ProducerSettings.delivery();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started;
        long ended;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            // one record first: metadata and connection are not part of the rate
            producer.send(new ProducerRecord<>(topic, "warm-up", value.apply(-1))).get();
            started = System.nanoTime();
            for (long i = 0; i < count; i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("ce_specversion", "1.0".getBytes());
                headers.add("ce_id", ("bench-" + i).getBytes());
                headers.add("ce_type", "io.updraft.InstallRequested".getBytes());
                headers.add("ce_source", "/updraft/bench".getBytes());
                headers.add("ce_time", "2026-11-27T00:00:00Z".getBytes());
                headers.add("ce_subject", String.format("bench-%07d", i).getBytes());
                producer.send(new ProducerRecord<>(topic, null, String.format("bench-%07d", i), value.apply(i), headers),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
            ended = System.nanoTime();
        } catch (ExecutionException e) {
            throw new IllegalStateException("raw producer failed: " + e.getCause(), e.getCause());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("raw producer failed: " + failure.get(), failure.get());
        }
        return new Rate(count, (ended - started) / 1e9);
    }

    /** Reads {@code count} records of {@code topic} from the beginning (assigned partitions, no group). */
    static Rate consume(String bootstrap, String topic, long count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(consumer::position); // fetch the positions before the clock starts
            long read = 0;
            long started = System.nanoTime();
            long deadline = started + timeout.toNanos();
            while (read < count && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                read += records.count();
            }
            return new Rate(read, (System.nanoTime() - started) / 1e9);
        }
    }
}
