package io.updraft.telemetry.messaging;

import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;

/** A consumed event and the tenant whose device it is about (ADR 0021), as a batch consumer reads its records. */
record TenantEvent<T extends UpdraftEvent>(String tenant, T event) {

    /** A "tenant" that is no tenant id, or a payload that is not a {@code type}, throws: the record is parked. */
    static <T extends UpdraftEvent> TenantEvent<T> read(String payload, Class<T> type) {
        return new TenantEvent<>(EventJson.tenantOf(payload), EventJson.read(payload, type));
    }
}
