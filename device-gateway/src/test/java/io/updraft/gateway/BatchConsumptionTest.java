package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A batch applied in one transaction that fails on one record is applied again record by record: the others are
 * kept, only the failing one is parked on the dead-letter topic, and an unreadable one is parked without ever
 * reaching the transaction.
 */
@QuarkusTest
class BatchConsumptionTest extends GatewayTestBase {
    private static final String CONSUMER = "batch-consumption-test";

    @Inject
    BatchConsumption batches;
    @Inject
    Inbox inbox;
    @Inject
    EntityManager entityManager;

    @Test
    void givenAFailingRecordInABatch_whenApplied_thenTheOthersAreKeptAndOnlyItIsParked() {
        String topic = "batch-test-" + UUID.randomUUID();
        String dlq = topic + ".dlq";
        String device = "batch-" + UUID.randomUUID();
        UpdraftEvent first = seen(device);
        UpdraftEvent poison = seen(device);
        UpdraftEvent third = seen(device);
        String garbage = "{not json";
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> records = List.of(
                new ConsumerRecord<>(topic, 0, 0, device, EventJson.write(first)),
                new ConsumerRecord<>(topic, 0, 1, device, garbage),
                new ConsumerRecord<>(topic, 0, 2, device, EventJson.write(poison)),
                new ConsumerRecord<>(topic, 0, 3, device, EventJson.write(third)));

        batches.apply(new ConsumerRecords<>(Map.of(partition, records)), dlq,
                payload -> EventJson.read(payload, DeviceReport.class), event -> {
                    inbox.firstDelivery(CONSUMER, event);
                    if (event.eventId().equals(poison.eventId())) {
                        throw new IllegalStateException("cannot apply " + event.eventId());
                    }
                });

        assertThat(applied(first)).isTrue();
        assertThat(applied(third)).isTrue();
        assertThat(applied(poison)).as("its transaction was rolled back").isFalse();
        eventually().until(() -> Kafka.values(dlq, device).containsAll(List.of(garbage, EventJson.write(poison))));
        assertThat(Kafka.values(dlq, device)).hasSize(2);
    }

    @Test
    void givenASetBasedBatch_whenOneRecordFailsIt_thenEachIsAppliedAloneAndOnlyTheFailingOneIsParked() {
        String topic = "batch-test-" + UUID.randomUUID();
        String dlq = topic + ".dlq";
        String device = "batch-" + UUID.randomUUID();
        UpdraftEvent first = seen(device);
        UpdraftEvent poison = seen(device);
        UpdraftEvent third = seen(device);
        String garbage = "{not json";
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> records = List.of(
                new ConsumerRecord<>(topic, 0, 0, device, EventJson.write(first)),
                new ConsumerRecord<>(topic, 0, 1, device, garbage),
                new ConsumerRecord<>(topic, 0, 2, device, EventJson.write(poison)),
                new ConsumerRecord<>(topic, 0, 3, device, EventJson.write(third)));
        List<List<String>> batchesSeen = new java.util.ArrayList<>();

        batches.applyBatch(new ConsumerRecords<>(Map.of(partition, records)), dlq,
                payload -> EventJson.read(payload, DeviceReport.class), all -> {
                    batchesSeen.add(all.stream().map(UpdraftEvent::eventId).toList());
                    all.forEach(event -> inbox.firstDelivery(CONSUMER, event));
                    if (all.stream().anyMatch(event -> event.eventId().equals(poison.eventId()))) {
                        throw new IllegalStateException("cannot apply " + poison.eventId());
                    }
                }, event -> {
                    inbox.firstDelivery(CONSUMER, event);
                    if (event.eventId().equals(poison.eventId())) {
                        throw new IllegalStateException("cannot apply " + event.eventId());
                    }
                });

        assertThat(batchesSeen).as("the readable records together, in offset order, once")
                .containsExactly(List.of(first.eventId(), poison.eventId(), third.eventId()));
        assertThat(applied(first)).as("applied again alone after the batch rolled back").isTrue();
        assertThat(applied(third)).isTrue();
        assertThat(applied(poison)).as("its transaction was rolled back").isFalse();
        eventually().until(() -> Kafka.values(dlq, device).containsAll(List.of(garbage, EventJson.write(poison))));
        assertThat(Kafka.values(dlq, device)).hasSize(2);
    }

    @Test
    void givenASetBasedBatch_whenItApplies_thenNoRecordIsAppliedAlone() {
        String topic = "batch-test-" + UUID.randomUUID();
        String device = "batch-" + UUID.randomUUID();
        UpdraftEvent first = seen(device);
        UpdraftEvent second = seen(device);
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> records = List.of(
                new ConsumerRecord<>(topic, 0, 0, device, EventJson.write(first)),
                new ConsumerRecord<>(topic, 0, 1, device, EventJson.write(second)));

        batches.applyBatch(new ConsumerRecords<>(Map.of(partition, records)), topic + ".dlq",
                payload -> EventJson.read(payload, DeviceReport.class),
                all -> all.forEach(event -> inbox.firstDelivery(CONSUMER, event)), event -> {
                    throw new AssertionError("applied alone: " + event.eventId());
                });

        assertThat(applied(first)).isTrue();
        assertThat(applied(second)).isTrue();
    }

    private boolean applied(UpdraftEvent event) {
        return QuarkusTransaction.requiringNew().call(() -> !entityManager.createNativeQuery(
                "select 1 from processed_event where consumer = ?1 and event_id = ?2")
                .setParameter(1, CONSUMER).setParameter(2, event.eventId()).getResultList().isEmpty());
    }

    private static UpdraftEvent seen(String device) {
        return new DeviceReport.DeviceSeen(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, device);
    }
}
