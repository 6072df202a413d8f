package io.updraft.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.support.kafka.EventRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The heartbeat sender's records must be what Jackson and EventRecords make of each DeviceSeen alone. */
class DeviceSeenRecordsTest {
    private static final String SOURCE = "device-gateway";

    @Test
    void everyHeartbeatIsWhatJacksonAndEventRecordsMakeOfItAlone() {
        DeviceSeenRecords records = new DeviceSeenRecords(SOURCE);
        Random random = new Random(7);
        long base = Instant.parse("2026-12-07T14:00:00Z").toEpochMilli();
        String[] hostile = { "gw-\u00fc", "a\"b", "a\\b", "tab\tid" };
        for (int i = 0; i < 4_000; i++) {
            String tenant = i % 3 == 0 ? "ACME" : "DEFAULT";
            String device = i % 50 == 49 ? hostile[(i / 50) % hostile.length]
                    : "dev-" + random.nextInt(1_000_000) + (i % 5 == 0 ? ".~:@+_" : "");
            // whole seconds, whole tenths and repeated milliseconds among them: Instant's text drops zeros
            long at = base + switch (i % 4) {
                case 0 -> random.nextInt(100_000) * 1_000L;
                case 1 -> random.nextInt(100_000) * 100L;
                case 2 -> 42L;
                default -> random.nextInt(100_000_000);
            };
            ProducerRecord<String, String> record = records.record(DeviceKeys.of(tenant, device), at);
            String eventId = header(record, "ce_id");
            DeviceSeen seen = new DeviceSeen(eventId, Instant.ofEpochMilli(at), UpdraftEvent.SCHEMA_VERSION, device);
            ProducerRecord<String, String> alone = EventRecords.toRecord(tenant, SOURCE, seen,
                    EventJson.write(tenant, seen));
            assertThat(record.value()).isEqualTo(alone.value());
            assertThat(record.topic()).isEqualTo(alone.topic());
            assertThat(record.key()).isEqualTo(alone.key());
            assertThat(headers(record)).isEqualTo(headers(alone));
            if (device.startsWith("dev-")) {
                assertThat(EventJson.read(record.value(), DeviceReport.class)).isEqualTo(seen);
            }
        }
    }

    @Test
    void eventIdsAreDistinctVersion4Uuids() {
        DeviceSeenRecords records = new DeviceSeenRecords(SOURCE);
        DeviceSeenRecords another = new DeviceSeenRecords(SOURCE); // another gateway: another seed
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            for (DeviceSeenRecords sender : List.of(records, another)) {
                String id = header(sender.record("d" + i, 1_000L + i), "ce_id");
                UUID uuid = UUID.fromString(id);
                assertThat(uuid.version()).isEqualTo(4);
                assertThat(uuid.variant()).isEqualTo(2);
                assertThat(ids.add(id)).as(id).isTrue();
            }
        }
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<String> headers(ProducerRecord<String, String> record) {
        List<String> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }
}
