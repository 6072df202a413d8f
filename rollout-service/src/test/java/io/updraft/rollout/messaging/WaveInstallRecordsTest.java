package io.updraft.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.JsonTemplate;
import io.updraft.events.MaintenanceWindow;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.service.DeviceCommands;
import io.updraft.support.kafka.EventRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The spliced records must be byte for byte what Jackson and EventRecords make of each command alone. */
class WaveInstallRecordsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T13:40:00.123456Z");
    private static final String SOURCE = "rollout-service";
    private static final List<ArtifactRef> ARTIFACTS = List.of(
            new ArtifactRef(7, "os", "image.swu", 123_456_789L, "a".repeat(64), "b".repeat(40), "c".repeat(32), null),
            new ArtifactRef(8, "os", "image.zck", 23_456_789L, "d".repeat(64), "e".repeat(40), "f".repeat(32),
                    ArtifactRef.DELTA));

    private static List<InstallRequested> templates() {
        return List.of(
                template("fw \"stable\" / ü", ActionType.FORCED, null, null, false, null),
                template("fw", ActionType.TIMEFORCED, NOW.plusSeconds(86_400),
                        new MaintenanceWindow("0 0 2 * * ?", "PT2H", "Europe/Berlin"), true, NOW.plusSeconds(3_600)),
                template("fw", ActionType.SOFT, null, null, true, null));
    }

    private static InstallRequested template(String name, ActionType type, Instant expiresAt, MaintenanceWindow window,
            boolean confirm, Instant confirmBy) {
        return new InstallRequested(null, NOW, UpdraftEvent.SCHEMA_VERSION, null, 0, "ro-1", 2, null, "rel-1", name,
                "1.2.3", ARTIFACTS, type, null, false, expiresAt, window, confirm, confirmBy);
    }

    private static InstallRequested command(InstallRequested t, String eventId, String deviceId, long actionId,
            String cohort) {
        return new InstallRequested(eventId, t.occurredAt(), t.schemaVersion(), deviceId, actionId, t.rolloutId(),
                t.wave(), cohort, t.releaseId(), t.releaseName(), t.version(), t.artifacts(), t.actionType(),
                t.deadline(), t.rollback(), t.expiresAt(), t.maintenanceWindow(), t.confirmationRequired(),
                t.confirmBy());
    }

    @Test
    void everyCommandIsWhatJacksonAndEventRecordsMakeOfItAlone() {
        Random random = new Random(21);
        int compared = 0;
        for (String tenant : new String[] { "DEFAULT", "ACME" }) {
            for (InstallRequested template : templates()) {
                WaveInstallRecords records = WaveInstallRecords.of(tenant, SOURCE, template);
                assertThat(records.spliced()).isTrue();
                for (int i = 0; i < 500; i++) {
                    long actionId = i < 3 ? new long[] { 0, Long.MAX_VALUE, Long.MIN_VALUE }[i]
                            : random.nextLong() >>> random.nextInt(64);
                    String deviceId = "dev-" + random.nextInt(1_000_000) + (i % 7 == 0 ? ":~@+._" : "");
                    String cohort = i % 11 == 0 ? "" : "gw-" + random.nextInt(300) + ":1." + random.nextInt(9);
                    String eventId = DeviceCommands.installEventId(actionId);
                    InstallRequested command = command(template, eventId, deviceId, actionId, cohort);
                    ProducerRecord<String, String> record = records.record(eventId, deviceId, actionId, cohort);
                    assertSame(record, tenant, command);
                    assertThat(EventJson.read(record.value(), DeviceCommand.class)).isEqualTo(command);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(3_000);
    }

    @Test
    void valuesJacksonWouldEscapeGoThroughJackson() {
        WaveInstallRecords records = WaveInstallRecords.of("ACME", SOURCE, templates().get(1));
        String[][] hostile = { { "e\"1", "d1", "c" }, { "e1", "d\\1", "c" }, { "e1", "d1", "gw-\u00fc:1.0" },
                { "e1", "d1", "gw\n" }, { "e1", "d1", null }, { "e1", "d\u0000", "c" } };
        for (String[] values : hostile) {
            ProducerRecord<String, String> record = records.record(values[0], values[1], 5, values[2]);
            assertSame(record, "ACME", command(templates().get(1), values[0], values[1], 5, values[2]));
        }
        assertThat(JsonTemplate.quoted("gw-200:1.0")).isEqualTo("\"gw-200:1.0\"");
        assertThat(JsonTemplate.quoted("\"")).isNull();
        assertThat(JsonTemplate.quoted("\u007f")).isNull();
        assertThat(JsonTemplate.quoted(null)).isNull();
    }

    @Test
    void aTemplateThatHoldsAMarkerElsewhereIsWrittenByJacksonEveryTime() {
        InstallRequested odd = template("@@updraft-template-cohort@@", ActionType.FORCED, null, null,
                false, null);
        WaveInstallRecords records = WaveInstallRecords.of("DEFAULT", SOURCE, odd);
        assertThat(records.spliced()).isFalse();
        assertSame(records.record("e1", "d1", 9, "gw-1:1"), "DEFAULT", command(odd, "e1", "d1", 9, "gw-1:1"));
        InstallRequested number = new InstallRequested(null, NOW, UpdraftEvent.SCHEMA_VERSION, null, 0, "ro-1", 2,
                null, "rel-1", "fw", "1.2.3", List.of(new ArtifactRef(7, "os", "i.swu", 7_071_071_071_071_071_071L,
                        "a".repeat(64), "b".repeat(40), "c".repeat(32), null)), ActionType.FORCED, null, false, null,
                null, false, null);
        WaveInstallRecords sized = WaveInstallRecords.of("DEFAULT", SOURCE, number);
        assertThat(sized.spliced()).isFalse();
        assertSame(sized.record("e1", "d1", 9, "gw-1:1"), "DEFAULT", command(number, "e1", "d1", 9, "gw-1:1"));
    }

    @Test
    void theInstallEventIdIsTheVersion3UuidOfTheAction() {
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            long actionId = i < 2_000 ? i : random.nextLong();
            assertThat(DeviceCommands.installEventId(actionId)).isEqualTo(UUID.nameUUIDFromBytes(
                    ("InstallRequested:" + actionId).getBytes(StandardCharsets.UTF_8)).toString());
        }
    }

    private static void assertSame(ProducerRecord<String, String> actual, String tenant, InstallRequested command) {
        ProducerRecord<String, String> expected = EventRecords.toRecord(tenant, SOURCE, command,
                EventJson.write(tenant, command));
        assertThat(actual.value()).isEqualTo(expected.value());
        assertThat(actual.topic()).isEqualTo(expected.topic());
        assertThat(actual.key()).isEqualTo(expected.key());
        assertThat(headers(actual)).isEqualTo(headers(expected));
    }

    private static List<String> headers(ProducerRecord<String, String> record) {
        List<String> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }
}
