package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import io.updraft.events.UpdraftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topology's byte readers read what EventJson writes, and refuse what EventJson.read refuses. */
class DeviceEventsTest {
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00.123456Z");

    @Test
    void given_events_as_eventjson_writes_them_when_read_from_bytes_then_they_are_the_same() {
        HealthReported health = new HealthReported("e-1", AT, UpdraftEvent.SCHEMA_VERSION, "dev-1", false, 3, true,
                Map.of("cpu", 0.25, "temp", 61.0));
        ActionFinished finished = new ActionFinished("e-2", AT, UpdraftEvent.SCHEMA_VERSION, "dev-1", 7, "rollout-1",
                2, "gw-200:1.0", "release-2", "1.2.0", false, Outcome.FAILURE, List.of("flash failed: Prüfsumme ü"));
        DeviceSeen seen = new DeviceSeen("e-3", AT, UpdraftEvent.SCHEMA_VERSION, "dev-3");

        DeviceTelemetry read = DeviceEvents.telemetry(EventJson.writeBytes(health));
        assertThat(read).isEqualTo(health);
        assertThat(read).isEqualTo(EventJson.read(EventJson.write(health), DeviceTelemetry.class));
        assertThat(DeviceEvents.report(EventJson.writeBytes(finished))).isEqualTo(finished);
        assertThat(DeviceEvents.report(EventJson.writeBytes(seen))).isEqualTo(seen);
    }

    @Test
    void given_records_eventjson_refuses_when_read_from_bytes_then_they_are_malformed_too() {
        List<String> refused = List.of("", "   ", "null", "not json", "{\"type\":\"Unknown\",\"eventId\":\"e\"}",
                "{\"type\":\"HealthReported\",\"deviceId\":\"dev-1\"}",
                "{\"type\":\"HealthReported\",\"eventId\":\"e-1\"}",
                "{\"type\":\"HealthReported\",\"eventId\":\" \",\"deviceId\":\"dev-1\"}",
                // a device id no edge lets in (since issue 15: identifiers are ASCII letters, digits and . _ - ~ : @ +)
                "{\"type\":\"HealthReported\",\"eventId\":\"e-1\",\"schemaVersion\":1,\"deviceId\":\"dev-ü\"}");

        for (String json : refused) {
            assertThatThrownBy(() -> EventJson.read(json, DeviceTelemetry.class)).as(json)
                    .isInstanceOf(MalformedEventException.class);
            assertThatThrownBy(() -> DeviceEvents.telemetry(json.getBytes(StandardCharsets.UTF_8))).as(json)
                    .isInstanceOf(MalformedEventException.class);
        }
        assertThatThrownBy(() -> DeviceEvents.report(null)).isInstanceOf(MalformedEventException.class);
    }
}
