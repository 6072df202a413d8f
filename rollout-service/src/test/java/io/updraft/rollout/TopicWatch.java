package io.updraft.rollout;

import io.updraft.devstack.DevStack;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic from the beginning (no consumer group), collecting what has arrived so far. */
final class TopicWatch implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final List<String> values = new ArrayList<>();
    private boolean assigned;

    TopicWatch(String topic) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
    }

    /** Raw values seen so far (polls once). */
    synchronized List<String> values() {
        if (!assigned) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                return List.copyOf(values); // a dead-letter topic appears with its first record
            }
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            assigned = true;
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            values.add(record.value());
        }
        return List.copyOf(values);
    }

    /** Events of {@code contract} seen so far that match {@code filter}. */
    <T extends UpdraftEvent, S extends T> List<S> events(Class<T> contract, Class<S> type, Predicate<S> filter) {
        return values().stream().map(value -> EventJson.read(value, contract)).filter(type::isInstance).map(type::cast)
                .filter(filter).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
