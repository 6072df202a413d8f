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

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
