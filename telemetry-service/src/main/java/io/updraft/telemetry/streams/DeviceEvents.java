package io.updraft.telemetry.streams;

import com.fasterxml.jackson.databind.ObjectReader;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;

/**
 * Reads the device topics' records as the health topology receives them, as bytes: Jackson readers bound to each
 * topic's contract (resolved once, not per record) parse the UTF-8 bytes directly, without first decoding them into
 * a {@code String} and copying that into a char buffer. The same mapper and the same checks as
 * {@link EventJson#read}: unknown fields ignored, an unknown type, a missing {@code eventId} or key field is a
 * {@link io.updraft.events.MalformedEventException}. The topology benchmark's plain consumer parses with this same reader.
 */
public final class DeviceEvents {
    private static final ObjectReader REPORTS = EventJson.mapper().readerFor(DeviceReport.class);
    private static final ObjectReader TELEMETRY = EventJson.mapper().readerFor(DeviceTelemetry.class);

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
