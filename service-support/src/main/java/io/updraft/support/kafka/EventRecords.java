package io.updraft.support.kafka;

import io.updraft.events.TenantIds;
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
        return toRecord(TenantIds.DEFAULT, source, topic, key, type, eventId, occurredAt, payload);
    }

    /**
     * The record of an event in {@code tenant} (ADR 0021): the CloudEvents extension header {@code ce_tenant} on every
     * record, and for a tenant other than {@link TenantIds#DEFAULT} the key {@code TENANT/key} ({@link
     * TenantIds#recordKey}); {@code ce_subject} stays the event's own key. The payload is expected to carry the same
     * tenant ({@code EventJson.write(tenant, event)}).
     */
    public static ProducerRecord<String, String> toRecord(String tenant, String source, String topic, String key,
            String type, String eventId, Instant occurredAt, String payload) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", eventId);
        header(headers, "ce_type", "io.updraft." + type);
        header(headers, "ce_source", "/updraft/" + source);
        header(headers, "ce_time", occurredAt.toString());
        header(headers, "ce_subject", key);
        header(headers, "ce_tenant", tenant == null ? TenantIds.DEFAULT : tenant);
        header(headers, "content-type", "application/json");
        return new ProducerRecord<>(topic, null, TenantIds.recordKey(tenant, key), payload, headers);
    }

    public static ProducerRecord<String, String> toRecord(String source, UpdraftEvent event, String payload) {
        return toRecord(source, event.topic(), event.key(), event.type(), event.eventId(), event.occurredAt(), payload);
    }

    public static ProducerRecord<String, String> toRecord(String tenant, String source, UpdraftEvent event,
            String payload) {
        return toRecord(tenant, source, event.topic(), event.key(), event.type(), event.eventId(), event.occurredAt(),
                payload);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
