package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast reader of occurredAt gives what Jackson's own InstantDeserializer gives, for every form. */
class CanonicalInstantDeserializerTest {
    private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void given_canonical_instants_of_any_date_and_precision_when_parsed_then_they_equal_instant_parse() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long seconds = FIRST + (long) (random.nextDouble() * (LAST - FIRST + 1));
            int digits = random.nextInt(10); // 0 to 9 fraction digits
            int nanos = random.nextInt(1_000_000_000);
            String fraction = String.format("%09d", nanos).substring(0, digits);
            String text = Instant.ofEpochSecond(seconds).toString().replace("Z", "")
                    + (digits == 0 ? "" : "." + fraction) + "Z";

            assertThat(parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of("1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2000-02-29T12:00:00Z",
                "1900-03-01T00:00:00.5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.000000001Z")) {
            assertThat(parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void given_what_instant_to_string_writes_when_parsed_then_it_is_the_same_instant() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            Instant at = Instant.ofEpochSecond(FIRST + (long) (random.nextDouble() * (LAST - FIRST + 1)),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            assertThat(parse(at.toString())).isEqualTo(at);
        }
    }

    @Test
    void given_other_forms_or_values_out_of_range_when_read_then_jackson_decides_as_before() {
        List<String> others = List.of("\"2026-11-27T10:00:00+01:00\"", "\"2026-11-27t10:00:00z\"",
                "\"2026-02-29T10:00:00Z\"", "\"2026-04-31T10:00:00Z\"", "\"2026-13-01T10:00:00Z\"",
                "\"2026-11-27T24:00:00Z\"", "\"2026-11-27T23:59:60Z\"", "\"2026-11-27T10:60:00Z\"",
                "\"2026-11-27T10:00:00.Z\"", "\"2026-11-27T10:00:00.1234567890Z\"", "\"+12026-11-27T10:00:00Z\"",
                "\"2026-11-27T10:00Z\"", "\"2026-11-27 10:00:00Z\"", "\"2026-1a-27T10:00:00Z\"",
                "\"2026-11-27T10:00:00.12a4Z\"", "\"\"", "\"yesterday\"", "1764237600", "1764237600.5", "null");
        for (String occurredAt : others) {
            String json = "{\"type\":\"HealthReported\",\"eventId\":\"e-1\",\"occurredAt\":" + occurredAt
                    + ",\"schemaVersion\":1,\"deviceId\":\"dev-1\",\"bootOk\":true,\"crashCount\":0,"
                    + "\"appHealthy\":true,\"metrics\":{}}";
            if (occurredAt.startsWith("\"")) {
                assertThat(parse(occurredAt.substring(1, occurredAt.length() - 1))).as(occurredAt).isNull();
            }
            DeviceTelemetry standard;
            try {
                standard = EventJson.read(json, DeviceTelemetry.class);
            } catch (MalformedEventException e) {
                assertThatThrownBy(() -> DeviceEvents.telemetry(json.getBytes(StandardCharsets.UTF_8)))
                        .as(occurredAt).isInstanceOf(MalformedEventException.class);
                continue;
            }
            assertThat(DeviceEvents.telemetry(json.getBytes(StandardCharsets.UTF_8))).as(occurredAt)
                    .isEqualTo(standard);
        }
    }

    private static Instant parse(String text) {
        char[] padded = ("xx" + text + "yy").toCharArray(); // the parser's buffer holds more than the value
        return CanonicalInstantDeserializer.parse(padded, 2, text.length());
    }
}
