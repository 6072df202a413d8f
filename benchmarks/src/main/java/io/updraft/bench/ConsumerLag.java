package io.updraft.bench;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's lag: records on a topic past the group's committed offsets. */
final class ConsumerLag {
    private ConsumerLag() {
    }

    /**
     * The sum over the topic's partitions (those in {@code end}) of end offset minus committed offset; a partition the
     * group never committed counts from offset 0 (the bench's topics are new and keep every record). Transaction
     * markers count as records, so a transactionally written topic may show a lag of a few markers when caught up.
     */
    static long of(String topic, Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (partition.getKey().topic().equals(topic)) {
                lag += Math.max(0, partition.getValue() - committed.getOrDefault(partition.getKey(), 0L));
            }
        }
        return lag;
    }
}
