package io.updraft.gateway.messaging;

import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.EventJson;
import io.updraft.events.JsonTemplate;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.support.kafka.EventRecords;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The heartbeat sender's DeviceSeen records. A polling fleet sends one per device per {@code heartbeat-sample}, so at
 * a million devices nearly every poll owes one, and making them was a fifth of the gateway's CPU in the poll
 * benchmark (issue 21): Jackson, a {@code SecureRandom} id, two instants formatted. Here each tenant's JSON is a
 * {@link JsonTemplate} (byte for byte Jackson's, {@code DeviceSeenRecordsTest}), its constant headers are shared
 * ({@link EventRecords#run}), the time is formatted once per millisecond, and the event id is a version 4 UUID from a
 * generator seeded once by {@code SecureRandom} (an event id names an event for the inboxes; it is no secret). One
 * thread only.
 */
final class DeviceSeenRecords {
    private static final String EVENT_ID = "@@updraft-template-event-id@@";
    private static final String DEVICE_ID = "@@updraft-template-device-id@@";
    /** A marker time: its text ({@code 2003-12-10T16:24:31.071071071Z}) is in no other field. */
    private static final Instant AT = Instant.ofEpochSecond(1_071_073_471L, 71_071_071);
    private static final int TENANTS_KEPT = 1_000;

    private record Tenant(EventRecords.Run run, JsonTemplate json) {
    }

    private final String source;
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final SplittableRandom ids = new SplittableRandom(new SecureRandom().nextLong());
    private long lastMillis = Long.MIN_VALUE;
    private String lastAt;

    DeviceSeenRecords(String source) {
        this.source = source;
    }

    /** The DeviceSeen of the device with this {@link DeviceKeys key}, heard from at {@code atMillis}. */
    ProducerRecord<String, String> record(String deviceKey, long atMillis) {
        String tenant = DeviceKeys.tenant(deviceKey);
        String deviceId = DeviceKeys.controllerId(deviceKey);
        if (atMillis != lastMillis) {
            lastMillis = atMillis;
            lastAt = Instant.ofEpochMilli(atMillis).toString();
        }
        String eventId = newId();
        Tenant shape = tenants.get(tenant);
        if (shape == null) {
            if (tenants.size() >= TENANTS_KEPT) {
                tenants.clear();
            }
            shape = new Tenant(EventRecords.run(tenant, source, "DeviceSeen"), JsonTemplate.of(
                    EventJson.write(tenant, new DeviceSeen(EVENT_ID, AT, UpdraftEvent.SCHEMA_VERSION, DEVICE_ID)),
                    JsonTemplate.quoted(EVENT_ID), JsonTemplate.quoted(AT.toString()), JsonTemplate.quoted(DEVICE_ID)));
            tenants.put(tenant, shape);
        }
        String device = JsonTemplate.quoted(deviceId);
        String json = shape.json() != null && device != null
                ? shape.json().fill('"' + eventId + '"', '"' + lastAt + '"', device)
                : EventJson.write(tenant, new DeviceSeen(eventId, Instant.ofEpochMilli(atMillis),
                        UpdraftEvent.SCHEMA_VERSION, deviceId));
        return shape.run().toRecord(Topics.DEVICE_REPORTS, deviceId, eventId, lastAt, json);
    }

    /** A random (version 4, IETF variant) UUID. */
    private String newId() {
        long most = (ids.nextLong() & ~0xf000L) | 0x4000L;
        long least = (ids.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
