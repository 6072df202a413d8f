package io.updraft.support.kafka;

import io.updraft.events.TenantIds;
import io.updraft.events.UpdraftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
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

    /**
     * The records of a run of events that share tenant, source, type and time (a dispatcher's turn of one wave): the
     * same key, headers and order as {@link #toRecord(String, String, String, String, String, String, Instant,
     * String)}, with the headers that do not depend on the event encoded once and shared by every record.
     */
    public static Run run(String tenant, String source, String type, Instant occurredAt) {
        return new Run(tenant == null ? TenantIds.DEFAULT : tenant, source, type, occurredAt);
    }

    /** As {@link #run(String, String, String, Instant)} for events that each have a time of their own. */
    public static Run run(String tenant, String source, String type) {
        return new Run(tenant == null ? TenantIds.DEFAULT : tenant, source, type, null);
    }

    /** See {@link #run}. Immutable; its records may be built on any thread. */
    public static final class Run {
        private final String tenant;
        private final Header specVersion;
        private final Header type;
        private final Header source;
        /** Null when each event has a time of its own. */
        private final Header time;
        private final Header tenantHeader;
        private final Header contentType;

        private Run(String tenant, String source, String type, Instant occurredAt) {
            this.tenant = tenant;
            this.specVersion = new RecordHeader("ce_specversion", bytes("1.0"));
            this.type = new RecordHeader("ce_type", bytes("io.updraft." + type));
            this.source = new RecordHeader("ce_source", bytes("/updraft/" + source));
            this.time = occurredAt == null ? null : new RecordHeader("ce_time", bytes(occurredAt.toString()));
            this.tenantHeader = new RecordHeader("ce_tenant", bytes(tenant));
            this.contentType = new RecordHeader("content-type", bytes("application/json"));
        }

        /** The record of an event at the run's time. */
        public ProducerRecord<String, String> toRecord(String topic, String key, String eventId, String payload) {
            if (time == null) {
                throw new IllegalStateException("a run without a time of its own: give each event's");
            }
            return record(topic, key, eventId, time, payload);
        }

        /** The record of an event at {@code occurredAt}: its {@code Instant.toString()}. */
        public ProducerRecord<String, String> toRecord(String topic, String key, String eventId, String occurredAt,
                String payload) {
            return record(topic, key, eventId, new RecordHeader("ce_time", bytes(occurredAt)), payload);
        }

        private ProducerRecord<String, String> record(String topic, String key, String eventId, Header at,
                String payload) {
            RecordHeaders headers = new RecordHeaders(new Header[] { specVersion,
                    new RecordHeader("ce_id", bytes(eventId)), type, source, at,
                    new RecordHeader("ce_subject", bytes(key)), tenantHeader, contentType });
            return new ProducerRecord<>(topic, null, TenantIds.recordKey(tenant, key), payload, headers);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
