package io.updraft.support.kafka;

import io.updraft.support.persistence.OutlastingOutages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Applies a polled batch of records in one database transaction instead of one transaction (and one commit flush)
 * per record, keeping what per-record consumption promised: a record that cannot be read or applied is parked on
 * the dead-letter topic with the reason and the batch goes on. Records are read first (unreadable ones parked); the
 * rest is applied in one transaction; if that fails, each record is applied again in its own transaction and only
 * the one that fails is parked. Parked records are acknowledged by the broker before the method returns, so the
 * batch's offsets are committed only after every record is either applied or parked (at least once; the caller's
 * apply step is idempotent through the inbox). A batch that fails because the database cannot be reached is not
 * parked: it is held and applied again until the database is back.
 */
@ApplicationScoped
public class BatchConsumption {
    private static final Logger LOG = Logger.getLogger(BatchConsumption.class);

    @Inject
    EventProducer producer;

    /**
     * @param read parses a record's value; throwing parks the record
     * @param apply applies one read record inside the current transaction; throwing parks it (after the retry alone)
     */
    public <T> void apply(ConsumerRecords<String, String> records, String deadLetterTopic, Function<String, T> read,
            Consumer<T> apply) {
        applyBatch(records, deadLetterTopic, read, values -> values.forEach(apply), apply);
    }

    /**
     * The set-based form: the batch's readable records applied together by {@code applyAll} (one call, in one
     * transaction, in offset order) instead of one by one. Records that cannot be read are parked first, and acknowledged
     * before the batch's transaction starts. If that transaction fails, every readable record is applied again alone
     * with {@code applyOne} in its own transaction, and only the one that fails is parked.
     *
     * @param applyAll applies the read values inside the current transaction
     * @param applyOne applies one read value inside the current transaction, as the batch would have
     */
    public <T> void applyBatch(ConsumerRecords<String, String> records, String deadLetterTopic,
            Function<String, T> read, Consumer<List<T>> applyAll, Consumer<T> applyOne) {
        List<ConsumerRecord<String, String>> readable = new ArrayList<>(records.count());
        List<T> values = new ArrayList<>(records.count());
        List<Future<RecordMetadata>> parked = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                values.add(read.apply(record.value()));
                readable.add(record);
            } catch (RuntimeException e) {
                parked.add(park(record, deadLetterTopic, e));
            }
        }
        awaitParked(parked, deadLetterTopic);
        if (values.isEmpty()) {
            return;
        }
        try {
            OutlastingOutages.inTransaction("the batch", () -> applyAll.accept(values));
        } catch (RuntimeException batchFailed) {
            LOG.debugf("batch of %d failed (%s), applying its records one at a time", values.size(), batchFailed);
            List<Future<RecordMetadata>> failed = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                T value = values.get(i);
                try {
                    OutlastingOutages.inTransaction("a record of the batch", () -> applyOne.accept(value));
                } catch (RuntimeException e) {
                    failed.add(park(readable.get(i), deadLetterTopic, e));
                }
            }
            awaitParked(failed, deadLetterTopic);
        }
    }

    private static void awaitParked(List<Future<RecordMetadata>> parked, String deadLetterTopic) {
        for (Future<RecordMetadata> ack : parked) {
            try {
                ack.get(70, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not park a record on " + deadLetterTopic, e);
            }
        }
    }

    /** The record as it came, with SmallRye's dead-letter headers (reason, cause, where it came from). */
    private Future<RecordMetadata> park(ConsumerRecord<String, String> record, String deadLetterTopic,
            RuntimeException reason) {
        LOG.warnf("parking %s-%d@%d on %s: %s", record.topic(), record.partition(), record.offset(), deadLetterTopic,
                reason.toString());
        ProducerRecord<String, String> parked = new ProducerRecord<>(deadLetterTopic, null, record.key(),
                record.value(), record.headers());
        header(parked, "dead-letter-reason", String.valueOf(reason.getMessage()));
        if (reason.getCause() != null) {
            header(parked, "dead-letter-cause", String.valueOf(reason.getCause().getMessage()));
        }
        header(parked, "dead-letter-topic", record.topic());
        header(parked, "dead-letter-partition", Integer.toString(record.partition()));
        header(parked, "dead-letter-offset", Long.toString(record.offset()));
        return producer.send(parked);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
