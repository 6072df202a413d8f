package io.updraft.rollout.messaging;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.TenantIds;
import io.updraft.rollout.service.WarmUpRound;
import io.updraft.events.Topics;
import io.updraft.support.kafka.EventProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BufferPool;
import org.apache.kafka.clients.producer.internals.RecordAccumulator;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
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
    /** The services' producer's batch size (ProducerSettings), so the rehearsal's batches fill as the real ones. */
    private static final int BATCH_SIZE = 262_144;
    /** Room for a round's records uncompressed (~2,000 of ~1 KB); allocated as batches open, freed at the end. */
    private static final long ACCUMULATOR_MEMORY = 32L * BATCH_SIZE;
    private static final RecordAccumulator.AppendCallbacks NO_CALLBACKS = new RecordAccumulator.AppendCallbacks() {
        @Override
        public void setPartition(int partition) {
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            // aborted at the end of the rehearsal: nothing was to be sent
        }
    };
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
        List<SimpleRecord> all = new ArrayList<>(RECORDS_PER_ROUND + round.commands().size());
        for (int built = 0; built < RECORDS_PER_ROUND; built += round.commands().size()) {
            List<SimpleRecord> batch = new ArrayList<>(round.commands().size());
            try (StringSerializer serializer = new StringSerializer()) {
                // the dispatcher's records (the rehearsal's rollout is DEFAULT's; its wave 1 shares one template)
                WaveInstallRecords records = WaveInstallRecords.of(TenantIds.DEFAULT, producer.source(),
                        round.commands().get(0));
                for (InstallRequested command : round.commands()) {
                    ProducerRecord<String, String> record = records.record(command.eventId(), command.deviceId(),
                            command.actionId(), command.cohort());
                    batch.add(new SimpleRecord(System.currentTimeMillis(),
                            serializer.serialize(record.topic(), record.key()),
                            serializer.serialize(record.topic(), record.value()), record.headers().toArray()));
                }
            }
            MemoryRecords.withRecords(Compression.lz4().build(), batch.toArray(SimpleRecord[]::new));
            all.addAll(batch);
        }
        appendInMemory(all);
    }

    /**
     * The producer's append path (accumulator, batch, records builder, buffer pool) run over {@code records} in an
     * accumulator of the rehearsal's own that no sender ever drains, its batches aborted and freed at the end: the
     * JIT compiles the methods the first real send runs, and nothing leaves the process.
     *
     * @return the records appended
     */
    static int appendInMemory(List<SimpleRecord> records) {
        int appended = 0;
        try (Metrics metrics = new Metrics()) {
            BufferPool pool = new BufferPool(ACCUMULATOR_MEMORY, BATCH_SIZE, metrics, Time.SYSTEM, "warm-up");
            RecordAccumulator accumulator = new RecordAccumulator(new LogContext("[warm-up] "), BATCH_SIZE,
                    Compression.lz4().build(), 5, 100L, 1_000L, 120_000, metrics, "warm-up", Time.SYSTEM, null, pool);
            try {
                for (SimpleRecord record : records) {
                    byte[] key = Utils.toArray(record.key());
                    byte[] value = Utils.toArray(record.value());
                    accumulator.append(Topics.DEVICE_COMMANDS, 0, record.timestamp(), key, value, record.headers(),
                            NO_CALLBACKS, 0L, System.currentTimeMillis(), null);
                    appended++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (KafkaException e) {
                // the rehearsal's memory ran out (it never blocks for more): what was appended is warm enough
                LOG.debugf("warm-up: in-memory append stopped after %d records (%s)", appended, e);
            } finally {
                accumulator.abortIncompleteBatches();
                accumulator.close();
                pool.close();
            }
        }
        return appended;
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
