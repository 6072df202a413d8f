package io.updraft.support.kafka;

import io.updraft.events.UpdraftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns an event into a keyed Kafka record with CloudEvents binary-mode headers, so any language's dashboard can
 * read the topics without our JSON conventions.
 */
public final class EventRecords {
    private EventRecords() {
    }

    public static ProducerRecord<String, String> toRecord(String source, String topic, String key, String type,
            String eventId, Instant occurredAt, String payload) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", eventId);
        header(headers, "ce_type", "io.updraft." + type);
        header(headers, "ce_source", "/updraft/" + source);
        header(headers, "ce_time", occurredAt.toString());
        header(headers, "ce_subject", key);
        header(headers, "content-type", "application/json");
        return new ProducerRecord<>(topic, null, key, payload, headers);
    }

    public static ProducerRecord<String, String> toRecord(String source, UpdraftEvent event, String payload) {
        return toRecord(source, event.topic(), event.key(), event.type(), event.eventId(), event.occurredAt(), payload);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
