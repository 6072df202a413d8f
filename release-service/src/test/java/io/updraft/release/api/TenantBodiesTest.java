package io.updraft.release.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.domain.TenantQuotas;
import io.updraft.support.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TenantBodiesTest {

    @Test
    void aNewTenantIsCanonicalNamedAfterItsIdAndUnlimitedUnlessToldOtherwise() {
        TenantBodies.NewTenant plain = TenantBodies.newTenant(body("{\"id\":\"acme-2\"}"));
        assertThat(plain).isEqualTo(new TenantBodies.NewTenant("ACME-2", "ACME-2", TenantQuotas.UNLIMITED));

        TenantBodies.NewTenant full = TenantBodies.newTenant(body("{\"id\":\"Acme\",\"displayName\":\" Acme Corp. \","
                + "\"quotas\":{\"maxDevices\":0,\"maxArtifactBytes\":9223372036854775807,\"maxRolloutsInFlight\":null,"
                + "\"maxCommandsPerSecond\":2147483647}}"));
        assertThat(full).isEqualTo(new TenantBodies.NewTenant("ACME", "Acme Corp.",
                new TenantQuotas(0L, Long.MAX_VALUE, null, Integer.MAX_VALUE)));
    }

    @Test
    void aReplacementLeavesOutWhatIsUnlimitedAndAPatchKeepsWhatItLeavesOut() {
        TenantQuotas before = new TenantQuotas(10L, 20L, 3, 4);
        assertThat(TenantBodies.replacement(body("{\"maxDevices\":5}"))).isEqualTo(new TenantQuotas(5L, null, null,
                null));
        assertThat(TenantBodies.merge(before, TenantBodies.patch(body("{\"maxDevices\":5,\"maxRolloutsInFlight\":null}")),
                "")).isEqualTo(new TenantQuotas(5L, 20L, null, 4));
        assertThat(TenantBodies.merge(before, TenantBodies.patch(body("{}")), "")).isEqualTo(before);
    }

    @Test
    void anythingButAWholeNumberFromZeroOrNullIsRefused() {
        for (String value : new String[] { "-1", "1.5", "1e3", "\"10\"", "true", "[1]", "{}", "2147483648",
                "99999999999999999999" }) {
            String json = "{\"maxDevices\":1,\"maxRolloutsInFlight\":" + value + "}";
            assertRefused(() -> TenantBodies.replacement(body(json)), 400, value);
            assertRefused(() -> TenantBodies.patch(body(json)), 400, value);
        }
        assertRefused(() -> TenantBodies.patch(body("{\"maxDevices\":-9223372036854775808}")), 400, "min long");
    }

    @Test
    void unknownOrDuplicateFieldsMalformedAndOversizedBodiesAreRefused() {
        String[] bodies = { "{\"id\":\"A\",\"extra\":1}", "{\"id\":\"A\",\"id\":\"B\"}", "{\"id\":\"A\"} {}", "",
                "null", "[]", "{\"id\":\"A\",\"quotas\":{\"maxDisks\":1}}", "{\"id\":\"A\",\"quotas\":5}",
                "{\"id\":\"a/b\"}", "{\"id\":\"A\\u0000\"}", "{\"id\":\"" + "A".repeat(41) + "\"}", "{\"id\":\"_A\"}",
                "{\"id\":\"A\",\"displayName\":\"a\\u0007b\"}", "{\"id\":\"A\",\"displayName\":\"\"}",
                "{\"id\":\"A\",\"displayName\":7}" };
        for (String json : bodies) {
            assertRefused(() -> TenantBodies.newTenant(body(json)), 400, json);
        }
        String large = "{\"id\":\"A\",\"displayName\":\"" + "x".repeat(TenantBodies.MAX_BYTES) + "\"}";
        assertRefused(() -> TenantBodies.newTenant(body(large)), 413, "large");
    }

    @Test
    void theProblemDoesNotEchoControlCharactersOrLongInput() {
        ProblemException refused = (ProblemException) org.assertj.core.api.Assertions.catchThrowable(
                () -> TenantBodies.newTenant(body("{\"id\":\"A\",\"\\u0000" + "y".repeat(500) + "\":1}")));
        assertThat(refused.getMessage()).doesNotContain("\u0000").hasSizeLessThan(400);
    }

    @Test
    void quotasAreNeverNegative() {
        assertThatThrownBy(() -> new TenantQuotas(-1L, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TenantQuotas(null, 10L, null, null).allowsArtifactBytes(6, 4)).isTrue();
        assertThat(new TenantQuotas(null, 10L, null, null).allowsArtifactBytes(6, 5)).isFalse();
        assertThat(new TenantQuotas(null, 10L, null, null).allowsArtifactBytes(20, 0)).as("adds nothing").isTrue();
        assertThat(new TenantQuotas(null, Long.MAX_VALUE, null, null).allowsArtifactBytes(Long.MAX_VALUE, 1))
                .as("no overflow").isFalse();
        assertThat(TenantQuotas.UNLIMITED.allowsArtifactBytes(Long.MAX_VALUE, Long.MAX_VALUE)).isTrue();
    }

    private static void assertRefused(Runnable call, int status, String what) {
        assertThatThrownBy(call::run).as(what).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.status()).as(what).isEqualTo(status));
    }

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
