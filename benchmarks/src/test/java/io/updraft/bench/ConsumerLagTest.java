package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {
    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    @Test
    void sumsEndMinusCommittedOverTheTopicsPartitionsOnly() {
        Map<TopicPartition, Long> end = Map.of(tp("a", 0), 100L, tp("a", 1), 50L, tp("b", 0), 1_000L);
        Map<TopicPartition, Long> committed = Map.of(tp("a", 0), 90L, tp("a", 1), 50L, tp("b", 0), 0L);

        assertThat(ConsumerLag.of("a", end, committed)).isEqualTo(10);
        assertThat(ConsumerLag.of("b", end, committed)).isEqualTo(1_000);
        assertThat(ConsumerLag.of("c", end, committed)).isZero();
    }

    @Test
    void aPartitionNeverCommittedCountsFromTheStartAndALagIsNeverNegative() {
        Map<TopicPartition, Long> end = Map.of(tp("a", 0), 100L, tp("a", 1), 7L);
        // committed read after the end offsets: it may be ahead of them
        Map<TopicPartition, Long> committed = Map.of(tp("a", 0), 105L);

        assertThat(ConsumerLag.of("a", end, committed)).isEqualTo(7);
    }
}
