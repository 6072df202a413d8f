package io.updraft.e2e.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every record of a topic, from its first offset to its end offsets at the time of reading, with its timestamp. */
record TopicRecords(List<Appended> records) {

    /** One record: where it is, its key and value, its timestamp and whether that is the broker's append time. */
    record Appended(int partition, long offset, String key, String value, long timestamp, boolean appendTime) {
    }

    static TopicRecords read(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(bootstrap, topic)) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Appended> records = new ArrayList<>();
            await(topic + " read to its end").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    records.add(new Appended(r.partition(), r.offset(), r.key(), r.value(), r.timestamp(),
                            r.timestampType() == TimestampType.LOG_APPEND_TIME));
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return new TopicRecords(List.copyOf(records));
        }
    }

    /** A consumer of every partition of {@code topic} from its first offset, no group: read it with {@code poll}. */
    static KafkaConsumer<String, String> fromTheBeginning(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
