package io.updraft.testsupport;

import io.updraft.devstack.DevStack;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients against the dev-stack broker, for tests: produce what another service (or an attacker) would,
 * and read topics the way a downstream consumer sees them ({@code read_committed}, no consumer group, from the
 * beginning).
 *
 * <ul>
 * <li>{@link #send} is synchronous, so records sent one after another with the same key arrive in that order;</li>
 * <li>{@link #records} reads a topic from the beginning to its current end, once;</li>
 * <li>{@link #tail} keeps reading a topic across calls, for tests that wait for something to appear;
 * {@link #values(String, String)} and friends share one tail per topic for the whole test JVM.</li>
 * </ul>
 */
public final class TestKafka {
    private static final Duration READ_TO_END = Duration.ofSeconds(20);
    private static KafkaProducer<String, String> producer;
    private static final Map<String, Tail> sharedTails = new HashMap<>();

    private TestKafka() {
    }

    public static void send(UpdraftEvent event) {
        send(event.topic(), event.key(), EventJson.write(event));
    }

    public static synchronized void send(String topic, String key, String value) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted producing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    /** Every record on {@code topic}, from the beginning to its current end (none if the topic does not exist). */
    public static List<ConsumerRecord<String, String>> records(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TO_END.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + READ_TO_END);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    public static List<ConsumerRecord<String, String>> recordsWithKey(String topic, String key) {
        return records(topic).stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Records whose value mentions {@code text}, e.g. a name nobody may have announced. */
    public static List<ConsumerRecord<String, String>> recordsMentioning(String topic, String text) {
        return records(topic).stream().filter(r -> r.value() != null && r.value().contains(text)).toList();
    }

    /** A header's value as text, or null when the record has none of that name. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A new reader of {@code topic} from its beginning; close it when done. */
    public static Tail tail(String topic) {
        return new Tail(topic);
    }

    /** Values seen so far on {@code topic} under {@code key} (one shared tail per topic). */
    public static synchronized List<String> values(String topic, String key) {
        return shared(topic).values(key);
    }

    public static synchronized boolean anyValue(String topic, String value) {
        return shared(topic).values().contains(value);
    }

    /** Headers of the last record seen on {@code topic} with this value (empty if none was seen yet). */
    public static synchronized Map<String, String> headersOf(String topic, String value) {
        return shared(topic).headersOf(value);
    }

    private static Tail shared(String topic) {
        return sharedTails.computeIfAbsent(topic, Tail::new);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos == null) {
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // transactional writers (telemetry's rollbacks): what a read_committed consumer downstream would see
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /**
     * Reads one topic from its beginning, collecting what has arrived so far each time it is asked. A topic that does
     * not exist yet (a dead-letter topic appears with its first record) reads as empty until it does.
     */
    public static final class Tail implements AutoCloseable {
        private final String topic;
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        private boolean assigned;

        private Tail(String topic) {
            this.topic = topic;
            this.consumer = new KafkaConsumer<>(consumerProps());
        }

        /** Records seen so far (polls once). */
        public synchronized List<ConsumerRecord<String, String>> records() {
            if (!assigned) {
                List<TopicPartition> partitions = partitions(consumer, topic);
                if (partitions.isEmpty()) {
                    return List.copyOf(seen);
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                assigned = true;
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return List.copyOf(seen);
        }

        public List<String> values() {
            return records().stream().map(ConsumerRecord::value).toList();
        }

        public List<String> values(String key) {
            return records().stream().filter(r -> key.equals(String.valueOf(r.key()))).map(ConsumerRecord::value)
                    .toList();
        }

        /** Events of {@code contract} seen so far that are a {@code type} and match {@code filter}. */
        public <T extends UpdraftEvent, S extends T> List<S> events(Class<T> contract, Class<S> type,
                Predicate<S> filter) {
            return values().stream().map(value -> EventJson.read(value, contract)).filter(type::isInstance)
                    .map(type::cast).filter(filter).toList();
        }

        public Map<String, String> headersOf(String value) {
            Map<String, String> texts = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : records()) {
                if (value.equals(record.value())) {
                    texts.clear();
                    record.headers().forEach(h -> texts.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                }
            }
            return Map.copyOf(texts);
        }

        @Override
        public synchronized void close() {
            consumer.close();
        }
    }
}
