package io.updraft.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The producer classes the rehearsal loads are this Kafka client's: a name gone stale fails here, not silently. */
class DispatchWarmUpTest {

    @Test
    void every_producer_append_class_named_exists_in_this_kafka_client_and_loads() {
        assertThat(DispatchWarmUp.loadProducerAppend()).isEqualTo(DispatchWarmUp.PRODUCER_APPEND.size());
    }
}
