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
import org.jboss.logging.Logger;

/**
 * Messaging's part of the start-up rehearsal: wave 1's InstallRequested records built as {@link CommandDispatcher}
 * builds them (JSON, CloudEvents headers) and serialised and compressed into an lz4 batch in memory as the producer
 * would, about 2,000 of them a round; and the classes of the producer's first append and of its sender's first
 * produce request and response loaded and initialised ({@link #PRODUCER_APPEND}). Nothing is sent: no command
 * reaches {@code device-commands}.
 */
@ApplicationScoped
public class DispatchWarmUp {
    private static final Logger LOG = Logger.getLogger(DispatchWarmUp.class);
    private static final int RECORDS_PER_ROUND = 2_000;
    /**
     * What the producer loaded at the first real send after a rehearsal that sends nothing (class-load log of the
     * {@code coldstart} benchmark): its append path and its sender's first produce request and response. Internal
     * classes of the Kafka client, so a name another client version lacks is skipped, not an error.
     */
    static final List<String> PRODUCER_APPEND = List.of(
            "org.apache.kafka.clients.producer.KafkaProducer$AppendCallbacks",
            "org.apache.kafka.clients.producer.internals.BuiltInPartitioner",
            "org.apache.kafka.clients.producer.internals.BuiltInPartitioner$PartitionLoadStats",
            "org.apache.kafka.clients.producer.internals.RecordAccumulator$TopicInfo",
            "org.apache.kafka.clients.producer.internals.RecordAccumulator$RecordAppendResult",
            "org.apache.kafka.clients.producer.internals.ProducerBatch",
            "org.apache.kafka.clients.producer.internals.ProducerBatch$Thunk",
            "org.apache.kafka.clients.producer.internals.ProducerBatch$FinalState",
            "org.apache.kafka.clients.producer.internals.ProduceRequestResult",
            "org.apache.kafka.clients.producer.internals.FutureRecordMetadata",
            "org.apache.kafka.clients.producer.internals.TxnPartitionEntry",
            "org.apache.kafka.clients.producer.RecordMetadata",
            "org.apache.kafka.common.record.CompressionRatioEstimator",
            "org.apache.kafka.common.utils.PrimitiveRef",
            "org.apache.kafka.common.utils.PrimitiveRef$IntRef",
            "org.apache.kafka.common.message.ProduceRequestData$TopicProduceDataCollection",
            "org.apache.kafka.common.message.ProduceResponseData$TopicProduceResponseCollection",
            "org.apache.kafka.common.message.ProduceResponseData$NodeEndpointCollection",
            "org.apache.kafka.common.requests.ProduceResponse$PartitionResponse",
            "org.apache.kafka.common.requests.ProduceResponse$RecordError");

    @Inject
    EventProducer producer;

    void rehearse(@Observes WarmUpRound round) {
        if (round.commands().isEmpty()) {
            return;
        }
        // the first real send would otherwise wait for the topics' metadata (and load the producer's classes for it)
        producer.prepare(Topics.DEVICE_COMMANDS);
        producer.prepare(Topics.ROLLOUT_EVENTS);
        loadProducerAppend();
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

    /** @return how many of {@link #PRODUCER_APPEND} this Kafka client has (each loaded and initialised) */
    static int loadProducerAppend() {
        int loaded = 0;
        ClassLoader loader = ProducerRecord.class.getClassLoader();
        for (String name : PRODUCER_APPEND) {
            try {
                Class.forName(name, true, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debugf("warm-up: producer class %s not loaded (%s)", name, e);
            }
        }
        return loaded;
    }
}
