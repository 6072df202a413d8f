package io.updraft.telemetry.messaging.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import io.updraft.events.TenantIds;
import io.updraft.events.UpdraftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads the device topics' records as the health topology receives them, as bytes: Jackson readers bound to each
 * topic's contract (resolved once, not per record) parse the UTF-8 bytes directly, without first decoding them into
 * a {@code String} and copying that into a char buffer. The same mapper (a copy, with a faster reader of canonical
 * instants) and the same checks as {@link EventJson#read}: unknown fields ignored, an unknown type, a missing
 * {@code eventId} or key field is a {@link io.updraft.events.MalformedEventException}. The topology benchmark's plain
 * consumer parses with this same reader.
 */
public final class DeviceEvents {
    /**
     * The shared mapper, but {@code occurredAt} and other instants in their canonical form read without java.time's
     * formatter ({@link CanonicalInstantDeserializer}; any other form as before).
     */
    private static final ObjectMapper MAPPER = EventJson.mapper().copy().registerModule(
            new SimpleModule("canonical-instants").addDeserializer(Instant.class, new CanonicalInstantDeserializer()));
    private static final ObjectReader REPORTS = MAPPER.readerFor(DeviceReport.class);
    private static final ObjectReader TELEMETRY = MAPPER.readerFor(DeviceTelemetry.class);

    private DeviceEvents() {
    }

    public static DeviceTelemetry telemetry(byte[] json) {
        return read(TELEMETRY, json, DeviceTelemetry.class);
    }

    public static DeviceReport report(byte[] json) {
        return read(REPORTS, json, DeviceReport.class);
    }

    private static final byte[] TENANT_PREFIX = "{\"tenant\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final String TENANT_FIELD = "\"tenant\"";

    /**
     * The tenant the event's JSON names, exactly as {@link EventJson#tenantOf(byte[])} answers it, without decoding
     * the bytes for the common cases: {@code EventJson.write} puts the field first, and DEFAULT's events (every event
     * of a single-tenant installation) have none.
     *
     * @throws MalformedEventException if it names one that is not a tenant id
     */
    public static String tenant(byte[] json) {
        if (json == null) {
            return TenantIds.DEFAULT;
        }
        if (startsWith(json, TENANT_PREFIX)) {
            int last = Math.min(json.length - 1, TENANT_PREFIX.length + TenantIds.MAX_LENGTH);
            for (int end = TENANT_PREFIX.length; end <= last; end++) {
                if (json[end] == '"') {
                    String tenant = new String(json, TENANT_PREFIX.length, end - TENANT_PREFIX.length,
                            StandardCharsets.ISO_8859_1);
                    if (!TenantIds.isValid(tenant)) {
                        break; // EventJson.tenantOf says why
                    }
                    return TenantIds.canonical(tenant);
                }
            }
            return EventJson.tenantOf(json);
        }
        return mentionsTenant(json) ? EventJson.tenantOf(json) : TenantIds.DEFAULT;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes hold {@code "tenant"} anywhere: DEFAULT's events (most) are searched whole. As a Latin-1
     * string (a copy of the bytes, one per byte) the JDK's intrinsic search does it several bytes at a time; a
     * byte-by-byte loop here took 5 % of the topology's stream thread (profile of 2026-12-07, session 24).
     */
    private static boolean mentionsTenant(byte[] json) {
        return new String(json, StandardCharsets.ISO_8859_1).contains(TENANT_FIELD);
    }

    private static <T extends UpdraftEvent> T read(ObjectReader reader, byte[] json, Class<T> contract) {
        return EventJson.read(reader, json, contract);
    }
}
