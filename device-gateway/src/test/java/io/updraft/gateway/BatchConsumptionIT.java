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
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A batch applied in one transaction that fails on one record is applied again record by record: the others are
 * kept, only the failing one is parked on the dead-letter topic, and an unreadable one is parked without ever
 * reaching the transaction.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
class BatchConsumptionIT extends GatewayTestBase {
    private static final String CONSUMER = "batch-consumption-test";

    @Inject
    BatchConsumption batches;
    @Inject
    Inbox inbox;
    @Inject
    EntityManager entityManager;

    @Test
    void givenAFailingRecordInABatch_whenApplied_thenTheOthersAreKeptAndOnlyItIsParked() {
        Batch batch = Batch.withPoisonAndGarbage();

        batches.apply(batch.records(), batch.dlq(), BatchConsumptionIT::read, event -> {
            inbox.firstDelivery(CONSUMER, event);
            batch.failIfPoison(event);
        });

        assertOnlyThePoisonAndTheGarbageParked(batch);
    }

    @Test
    void givenASetBasedBatch_whenOneRecordFailsIt_thenEachIsAppliedAloneAndOnlyTheFailingOneIsParked() {
        Batch batch = Batch.withPoisonAndGarbage();
        List<List<String>> batchesSeen = new java.util.ArrayList<>();

        batches.applyBatch(batch.records(), batch.dlq(), BatchConsumptionIT::read, all -> {
            batchesSeen.add(all.stream().map(UpdraftEvent::eventId).toList());
            all.forEach(event -> inbox.firstDelivery(CONSUMER, event));
            all.forEach(batch::failIfPoison);
        }, event -> {
            inbox.firstDelivery(CONSUMER, event);
            batch.failIfPoison(event);
        });

        assertThat(batchesSeen).as("the readable records together, in offset order, once").containsExactly(
                List.of(batch.first().eventId(), batch.poison().eventId(), batch.third().eventId()));
        assertOnlyThePoisonAndTheGarbageParked(batch);
    }

    private void assertOnlyThePoisonAndTheGarbageParked(Batch batch) {
        assertThat(applied(batch.first())).isTrue();
        assertThat(applied(batch.third())).isTrue();
        assertThat(applied(batch.poison())).as("its transaction was rolled back").isFalse();
        eventually().until(() -> TestKafka.values(batch.dlq(), batch.device())
                .containsAll(List.of(batch.garbage(), EventJson.write(batch.poison()))));
        assertThat(TestKafka.values(batch.dlq(), batch.device())).hasSize(2);
    }

    /** On one partition of a topic of its own: a good event, garbage, an event that cannot be applied, a good one. */
    private record Batch(String dlq, String device, UpdraftEvent first, String garbage, UpdraftEvent poison,
            UpdraftEvent third, ConsumerRecords<String, String> records) {
        static Batch withPoisonAndGarbage() {
            String topic = "batch-test-" + UUID.randomUUID();
            String device = "batch-" + UUID.randomUUID();
            UpdraftEvent first = seen(device);
            UpdraftEvent poison = seen(device);
            UpdraftEvent third = seen(device);
            String garbage = "{not json";
            List<ConsumerRecord<String, String>> records = List.of(
                    new ConsumerRecord<>(topic, 0, 0, device, EventJson.write(first)),
                    new ConsumerRecord<>(topic, 0, 1, device, garbage),
                    new ConsumerRecord<>(topic, 0, 2, device, EventJson.write(poison)),
                    new ConsumerRecord<>(topic, 0, 3, device, EventJson.write(third)));
            return new Batch(topic + ".dlq", device, first, garbage, poison, third,
                    new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), records)));
        }

        void failIfPoison(UpdraftEvent event) {
            if (event.eventId().equals(poison.eventId())) {
                throw new IllegalStateException("cannot apply " + event.eventId());
            }
        }
    }

    private static DeviceReport read(String payload) {
        return EventJson.read(payload, DeviceReport.class);
    }

    @Test
    void givenASetBasedBatch_whenItApplies_thenNoRecordIsAppliedAloneAndOnlyTheGarbageIsParked() {
        Batch batch = Batch.withPoisonAndGarbage(); // its "poison" applies fine here

        batches.applyBatch(batch.records(), batch.dlq(), BatchConsumptionIT::read,
                all -> all.forEach(event -> inbox.firstDelivery(CONSUMER, event)), event -> {
                    throw new AssertionError("applied alone: " + event.eventId());
                });

        assertThat(applied(batch.first())).isTrue();
        assertThat(applied(batch.poison())).isTrue();
        assertThat(applied(batch.third())).isTrue();
        eventually().until(() -> TestKafka.values(batch.dlq(), batch.device()).contains(batch.garbage()));
        assertThat(TestKafka.values(batch.dlq(), batch.device())).containsExactly(batch.garbage());
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
