package io.updraft.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ADR 0021: the tenant travels as one top-level field; DEFAULT's events keep the bytes they always had. */
class EventJsonTenantTest {
    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");
    private static final ReleaseEvent.ReleaseRevoked REVOKED = new ReleaseEvent.ReleaseRevoked("e1", AT,
            UpdraftEvent.SCHEMA_VERSION, "r1", "CVE");

    @Test
    void defaultsEventsAreWrittenAsBeforeAndReadAsDefault() {
        assertThat(EventJson.write(TenantIds.DEFAULT, REVOKED)).isEqualTo(EventJson.write(REVOKED));
        assertThat(EventJson.write(null, REVOKED)).isEqualTo(EventJson.write(REVOKED));
        assertThat(EventJson.tenantOf(EventJson.write(REVOKED))).isEqualTo(TenantIds.DEFAULT);
    }

    @Test
    void anotherTenantIsAFieldThatReadersOfTheEventIgnore() {
        String json = EventJson.write("ACME", REVOKED);
        assertThat(json).startsWith("{\"tenant\":\"ACME\",\"type\":");
        assertThat(EventJson.tenantOf(json)).isEqualTo("ACME");
        assertThat(EventJson.read(json, ReleaseEvent.class)).isEqualTo(REVOKED);
        assertThat(EventJson.tenantOf(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("ACME");
    }

    @Test
    void theFieldIsFoundWhereverAnotherWriterPutItAndCanonicalised() {
        String json = "{\"type\":\"ReleaseRevoked\",\"nested\":{\"tenant\":\"NOT-THIS\"},\"tenant\":\"acme-2\"}";
        assertThat(EventJson.tenantOf(json)).isEqualTo("ACME-2");
        assertThat(EventJson.tenantOf("{\"type\":\"X\",\"nested\":{\"tenant\":\"B\"}}")).isEqualTo(TenantIds.DEFAULT);
        assertThat(EventJson.tenantOf("{\"tenant\":null}")).isEqualTo(TenantIds.DEFAULT);
    }

    @Test
    void aTenantFieldThatIsNoTenantIdIsAMalformedEvent() {
        assertThatThrownBy(() -> EventJson.tenantOf("{\"tenant\":\"a/b\",\"type\":\"X\"}"))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.tenantOf("{\"type\":\"X\",\"tenant\":7}"))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.tenantOf("{\"tenant\":\"" + "a".repeat(41) + "\"}"))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.write("acme", REVOKED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventJson.write("AC\"ME", REVOKED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deviceRegisteredCarriesItsTenantAsItsOwnComponent() {
        var registered = new DeviceReport.DeviceRegistered("e2", AT, UpdraftEvent.SCHEMA_VERSION, "gw-1", "ACME",
                Map.of());
        String json = EventJson.write("ACME", registered);
        assertThat(json).isEqualTo(EventJson.write(registered));
        assertThat(json.split("\"tenant\"", -1)).hasSize(2);
        assertThat(EventJson.tenantOf(json)).isEqualTo("ACME");
    }

    @Test
    void tenantIdsAndRecordKeys() {
        assertThat(TenantIds.canonical("acme_1-x")).isEqualTo("ACME_1-X");
        for (String bad : new String[] {null, "", "-a", "_a", "a/b", "a b", "a.b", "a%2Fb", "a\u0000", "ä",
                "a".repeat(41)}) {
            assertThat(TenantIds.isValid(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(TenantIds.recordKey(TenantIds.DEFAULT, "gw-1")).isEqualTo("gw-1");
        assertThat(TenantIds.recordKey("ACME", "gw-1")).isEqualTo("ACME/gw-1");
        assertThat(TenantIds.tenantOfRecordKey("ACME/gw-1")).isEqualTo("ACME");
        assertThat(TenantIds.tenantOfRecordKey("gw-1")).isEqualTo(TenantIds.DEFAULT);
    }

    @Test
    void aTenantsDefinitionIsAPlatformRecordKeyedByTheTenantItDefines() {
        TenantEvent.TenantDefined acme = new TenantEvent.TenantDefined("e2", AT, UpdraftEvent.SCHEMA_VERSION, "ACME",
                "Acme Corp.", AT, 3, new TenantEvent.Quotas(null, 1_000L, 2, null));
        String json = EventJson.write(TenantIds.DEFAULT, acme);

        assertThat(json).doesNotContain("\"tenant\"");
        assertThat(EventJson.tenantOf(json)).isEqualTo(TenantIds.DEFAULT);
        assertThat(TenantIds.recordKey(TenantIds.DEFAULT, acme.key())).isEqualTo("ACME");
        assertThat(acme.topic()).isEqualTo(Topics.TENANTS);
        TenantEvent back = EventJson.read(json, TenantEvent.class);
        assertThat(back).isEqualTo(acme);
        assertThat(((TenantEvent.TenantDefined) back).quotas().maxDevices()).as("null: unlimited").isNull();
        // a definition written without quotas reads as unlimited
        assertThat(((TenantEvent.TenantDefined) EventJson.read(json.replaceFirst(",\"quotas\":\\{[^}]*}", ""),
                TenantEvent.class)).quotas()).isEqualTo(TenantEvent.Quotas.UNLIMITED);
    }
}
