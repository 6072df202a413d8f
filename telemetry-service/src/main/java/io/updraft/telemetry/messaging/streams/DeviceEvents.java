package io.updraft.telemetry.messaging.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
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

    private static <T extends UpdraftEvent> T read(ObjectReader reader, byte[] json, Class<T> contract) {
        return EventJson.read(reader, json, contract);
    }
}
