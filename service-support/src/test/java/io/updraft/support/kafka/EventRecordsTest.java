package io.updraft.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EventRecordsTest {
    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void everyRecordNamesItsTenantAndOnlyOtherTenantsPrefixTheKey() {
        ProducerRecord<String, String> plain = EventRecords.toRecord("test", "releases", "r1", "ReleaseRevoked", "e1",
                AT, "{}");
        assertThat(plain.key()).isEqualTo("r1");
        assertThat(header(plain, "ce_tenant")).isEqualTo("DEFAULT");

        ProducerRecord<String, String> acme = EventRecords.toRecord("ACME", "test", "releases", "r1",
                "ReleaseRevoked", "e1", AT, "{}");
        assertThat(acme.key()).isEqualTo("ACME/r1");
        assertThat(header(acme, "ce_tenant")).isEqualTo("ACME");
        assertThat(header(acme, "ce_subject")).isEqualTo("r1");
    }

    @Test
    void aRunsRecordsAreTheRecordsEachEventWouldGetAlone() {
        for (String tenant : new String[] { "DEFAULT", "ACME", null }) {
            EventRecords.Run run = EventRecords.run(tenant, "rollout-service", "InstallRequested", AT);
            for (String device : new String[] { "d1", "gw-7:x" }) {
                ProducerRecord<String, String> alone = EventRecords.toRecord(tenant, "rollout-service",
                        "device-commands", device, "InstallRequested", "e-" + device, AT, "{\"a\":1}");
                ProducerRecord<String, String> inRun = run.toRecord("device-commands", device, "e-" + device,
                        "{\"a\":1}");
                assertThat(inRun.topic()).isEqualTo(alone.topic());
                assertThat(inRun.key()).isEqualTo(alone.key());
                assertThat(inRun.value()).isEqualTo(alone.value());
                assertThat(inRun.partition()).isEqualTo(alone.partition());
                assertThat(describe(inRun)).isEqualTo(describe(alone));
                ProducerRecord<String, String> timed = EventRecords.run(tenant, "rollout-service", "InstallRequested")
                        .toRecord("device-commands", device, "e-" + device, AT.toString(), "{\"a\":1}");
                assertThat(timed.key()).isEqualTo(alone.key());
                assertThat(describe(timed)).isEqualTo(describe(alone));
            }
        }
    }

    private static java.util.List<String> describe(ProducerRecord<String, String> record) {
        java.util.List<String> headers = new java.util.ArrayList<>();
        record.headers().forEach(h -> headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
