package io.updraft.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * The producer classes the rehearsal loads are this Kafka client's (a name gone stale fails here, not silently), and its
 * in-memory append takes every record, past several batches, with no broker.
 */
class DispatchWarmUpTest {

    @Test
    void every_producer_append_class_named_exists_in_this_kafka_client_and_loads() {
        assertThat(DispatchWarmUp.loadProducerAppend()).isEqualTo(DispatchWarmUp.PRODUCER_APPEND.size());
    }

    @Test
    void the_in_memory_append_takes_every_record_over_several_batches_without_a_broker() {
        List<SimpleRecord> records = new ArrayList<>();
        byte[] value = "x".repeat(4_000).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) { // ~1.2 MB: several 256 KiB batches
            records.add(new SimpleRecord(i, ("device-" + i).getBytes(StandardCharsets.UTF_8), value,
                    new RecordHeader[] {new RecordHeader("ce_type", "install".getBytes(StandardCharsets.UTF_8))}));
        }
        assertThat(DispatchWarmUp.appendInMemory(records)).isEqualTo(300);
    }
}
