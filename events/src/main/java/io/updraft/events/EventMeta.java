package io.updraft.events;

import java.time.Instant;
import java.util.UUID;

/** Fresh event identity: a random id and the current instant. */
public final class EventMeta {
    private EventMeta() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static Instant now() {
        return Instant.now();
    }
}
