package io.updraft.events;

import java.time.Instant;

/**
 * What every event carries. Readers ignore unknown fields and skip an {@code eventId} they already applied:
 * delivery is at least once.
 */
public interface UpdraftEvent {
    /**
     * The version every event is written with, and the newest a reader applies. It changes only when a field changes
     * meaning or a required field is added; adding an optional field does not change it.
     */
    int SCHEMA_VERSION = 1;
    /** The oldest version a reader still applies; a record outside [MIN, SCHEMA_VERSION] is dead-lettered. */
    int MIN_SCHEMA_VERSION = 1;

    String eventId();

    Instant occurredAt();

    int schemaVersion();

    /** The Kafka record key: device id on per-device topics, rollout or release id on the others. */
    String key();

    /** The topic this event belongs on. */
    String topic();

    /** The event type as written in the JSON {@code type} field and the CloudEvents {@code ce_type} header. */
    default String type() {
        return getClass().getSimpleName();
    }
}
