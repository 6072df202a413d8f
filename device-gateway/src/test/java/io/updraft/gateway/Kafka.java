package io.updraft.gateway;

import static org.awaitility.Awaitility.await;

import io.updraft.devstack.DevStack;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: produce raw records, and read whole topics (values by record key). */
final class Kafka {
    private static KafkaProducer<String, String> producer;
    private static final Map<String, KafkaConsumer<String, String>> readers = new HashMap<>();
    private static final Map<String, Map<String, List<String>>> seen = new HashMap<>();
    /** Per topic, per value: the record's headers as text (the last record with that value). */
    private static final Map<String, Map<String, Map<String, String>>> headers = new HashMap<>();

    private Kafka() {
    }

    static synchronized void send(String topic, String key, String value) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void send(UpdraftEvent event) {
        send(event.topic(), event.key(), EventJson.write(event));
    }

    /** Every value seen so far on {@code topic} under {@code key}, reading on from where the last call stopped. */
    static synchronized List<String> values(String topic, String key) {
        KafkaConsumer<String, String> reader = readers.computeIfAbsent(topic, Kafka::reader);
        Map<String, List<String>> byKey = seen.computeIfAbsent(topic, t -> new HashMap<>());
        Map<String, Map<String, String>> headersByValue = headers.computeIfAbsent(topic, t -> new HashMap<>());
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
            byKey.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>()).add(record.value());
            Map<String, String> texts = new HashMap<>();
            record.headers().forEach(h -> texts.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            headersByValue.put(record.value(), texts);
        }
        return List.copyOf(byKey.getOrDefault(key, List.of()));
    }

    /** The headers of the record seen on {@code topic} with this value (empty if none was seen yet). */
    static synchronized Map<String, String> headersOf(String topic, String value) {
        values(topic, "");
        return Map.copyOf(headers.get(topic).getOrDefault(value, Map.of()));
    }

    static synchronized boolean anyValue(String topic, String value) {
        values(topic, "");
        return seen.get(topic).values().stream().anyMatch(list -> list.contains(value));
    }

    private static KafkaConsumer<String, String> reader(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        // Assigned, not subscribed: no rebalance to wait for; topics the broker creates lazily are retried.
        List<TopicPartition> partitions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            consumer.partitionsFor(topic, Duration.ofSeconds(5))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            return !partitions.isEmpty();
        });
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
