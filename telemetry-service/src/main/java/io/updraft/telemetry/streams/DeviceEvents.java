package io.updraft.telemetry.streams;

import com.fasterxml.jackson.databind.ObjectReader;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import io.updraft.events.UpdraftEvent;
import java.io.IOException;

/**
 * Reads the device topics' records as the health topology receives them, as bytes: Jackson readers bound to each
 * topic's contract (resolved once, not per record) parse the UTF-8 bytes directly, without first decoding them into
 * a {@code String} and copying that into a char buffer. The same mapper and the same checks as
 * {@link EventJson#read}: unknown fields ignored, an unknown type, a missing {@code eventId} or key field is a
 * {@link MalformedEventException}. The topology benchmark's plain consumer parses with this same reader.
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
        if (json == null || json.length == 0) {
            throw new MalformedEventException("empty record: expected a " + contract.getSimpleName() + " event");
        }
        T event;
        try {
            event = reader.readValue(json);
        } catch (IOException e) {
            throw new MalformedEventException("not a " + contract.getSimpleName() + " event: " + firstLine(e), e);
        }
        if (event == null) {
            throw new MalformedEventException("null record: expected a " + contract.getSimpleName() + " event");
        }
        if (event.eventId() == null || event.eventId().isBlank()) {
            throw new MalformedEventException(event.type() + " without eventId");
        }
        if (event.key() == null || event.key().isBlank()) {
            throw new MalformedEventException(event.type() + " " + event.eventId() + " without its key field");
        }
        return event;
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
