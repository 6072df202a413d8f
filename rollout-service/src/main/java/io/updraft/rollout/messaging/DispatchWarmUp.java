package io.updraft.rollout.messaging;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.TenantIds;
import io.updraft.rollout.service.WarmUpRound;
import io.updraft.events.Topics;
import io.updraft.support.kafka.EventProducer;
import io.updraft.support.kafka.EventRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Messaging's part of the start-up rehearsal: wave 1's InstallRequested records built as {@link CommandDispatcher}
 * builds them (JSON, CloudEvents headers) and serialised and compressed into an lz4 batch in memory as the producer
 * would, about 2,000 of them a round. Nothing is sent: no command reaches {@code device-commands}.
 */
@ApplicationScoped
public class DispatchWarmUp {
    private static final int RECORDS_PER_ROUND = 2_000;

    @Inject
    EventProducer producer;

    void rehearse(@Observes WarmUpRound round) {
        if (round.commands().isEmpty()) {
            return;
        }
        // the first real send would otherwise wait for the topics' metadata (and load the producer's classes for it)
        producer.prepare(Topics.DEVICE_COMMANDS);
        producer.prepare(Topics.ROLLOUT_EVENTS);
        // the dispatcher's loop runs once per device of a wave: this one often enough that the JIT compiles it
        for (int built = 0; built < RECORDS_PER_ROUND; built += round.commands().size()) {
            List<SimpleRecord> batch = new ArrayList<>(round.commands().size());
            try (StringSerializer serializer = new StringSerializer()) {
                for (InstallRequested command : round.commands()) {
                    // the dispatcher's tenant form (the rehearsal's rollout is DEFAULT's)
                    ProducerRecord<String, String> record = EventRecords.toRecord(TenantIds.DEFAULT,
                            producer.source(), command, EventJson.write(TenantIds.DEFAULT, command));
                    batch.add(new SimpleRecord(System.currentTimeMillis(),
                            serializer.serialize(record.topic(), record.key()),
                            serializer.serialize(record.topic(), record.value()), record.headers().toArray()));
                }
            }
            MemoryRecords.withRecords(Compression.lz4().build(), batch.toArray(SimpleRecord[]::new));
        }
    }
}
