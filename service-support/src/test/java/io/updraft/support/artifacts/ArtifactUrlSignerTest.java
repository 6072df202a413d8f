package io.updraft.support.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArtifactUrlSignerTest {
    private static final String CURRENT = "0123456789abcdef-current";
    private static final String PREVIOUS = "0123456789abcdef-previous";
    private static final String RETIRED = "0123456789abcdef-retired";
    private final Clock now = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private final ArtifactUrlSigner signer = new ArtifactUrlSigner("0123456789abcdef-test", now);

    @Test
    void acceptsItsOwnSignatureUntilItExpires() {
        String query = signer.sign(42, Duration.ofMinutes(5));
        long expires = expires(query);
        String signature = signature(query);

        assertThat(signer.verify(42, expires, signature)).isTrue();
        assertThat(signer.verify(43, expires, signature)).as("another artifact").isFalse();
        assertThat(signer.verify(42, expires + 1, signature)).as("a stretched expiry").isFalse();
        ArtifactUrlSigner later = new ArtifactUrlSigner("0123456789abcdef-test",
                Clock.offset(now, Duration.ofMinutes(6)));
        assertThat(later.verify(42, expires, signature)).as("after expiry").isFalse();
        ArtifactUrlSigner otherKey = new ArtifactUrlSigner("another-key-0123456789", now);
        assertThat(otherKey.verify(42, expires, signature)).as("another key").isFalse();
    }

    @Test
    void givenATenantsLink_whenVerified_thenOnlyThatTenantsSignatureOfItIsAccepted() {
        String query = signer.sign("ACME", 42, Duration.ofMinutes(5));
        long expires = expires(query);
        String signature = signature(query);

        assertThat(query).startsWith("tenant=ACME&expires=");
        assertThat(signer.verify("ACME", 42, expires, signature)).isTrue();
        assertThat(signer.verify("GLOBEX", 42, expires, signature)).as("re-pointed to another tenant").isFalse();
        assertThat(signer.verify("DEFAULT", 42, expires, signature)).as("the tenant dropped").isFalse();
        assertThat(signer.verify(42, expires, signature)).as("the tenant dropped").isFalse();
        assertThat(signer.verify("ACME", 43, expires, signature)).as("another artifact").isFalse();
        String defaults = signer.sign(42, Duration.ofMinutes(5));
        assertThat(signer.verify("ACME", 42, expires(defaults), signature(defaults)))
                .as("DEFAULT's link re-pointed to a tenant").isFalse();
    }

    @Test
    void givenTheDefaultTenant_whenSigned_thenTheLinkIsTheOneSignedBeforeTenantsExisted() {
        assertThat(signer.sign("DEFAULT", 42, Duration.ofMinutes(5))).isEqualTo(signer.sign(42, Duration.ofMinutes(5)));
        String query = signer.sign(42, Duration.ofMinutes(5));
        assertThat(query).startsWith("expires=");
        assertThat(signer.verify("DEFAULT", 42, expires(query), signature(query))).isTrue();
    }

    @Test
    void givenARotation_whenALinkSignedByThePreviousKeyArrives_thenItIsAcceptedButTheRetiredKeyIsNot() {
        ArtifactUrlSigner rotated = new ArtifactUrlSigner(CURRENT, List.of(PREVIOUS), now);
        String byPrevious = new ArtifactUrlSigner(PREVIOUS, now).sign(42, Duration.ofMinutes(5));
        String byRetired = new ArtifactUrlSigner(RETIRED, now).sign(42, Duration.ofMinutes(5));

        assertThat(rotated.verify(42, expires(byPrevious), signature(byPrevious))).isTrue();
        assertThat(rotated.verify(43, expires(byPrevious), signature(byPrevious))).as("another artifact").isFalse();
        assertThat(rotated.verify(42, expires(byRetired), signature(byRetired))).isFalse();
        ArtifactUrlSigner later = new ArtifactUrlSigner(CURRENT, List.of(PREVIOUS),
                Clock.offset(now, Duration.ofMinutes(6)));
        assertThat(later.verify(42, expires(byPrevious), signature(byPrevious))).as("after expiry").isFalse();
    }

    @Test
    void givenARotation_whenSigning_thenTheCurrentKeySignsNotAPreviousOne() {
        String query = new ArtifactUrlSigner(CURRENT, List.of(PREVIOUS), now).sign(42, Duration.ofMinutes(5));

        assertThat(new ArtifactUrlSigner(CURRENT, now).verify(42, expires(query), signature(query))).isTrue();
        assertThat(new ArtifactUrlSigner(PREVIOUS, now).verify(42, expires(query), signature(query))).isFalse();
    }

    @Test
    void givenTheConfiguredList_whenParsed_thenEntriesAreTrimmedAndBlanksIgnored() {
        ArtifactUrlSigner configured = ArtifactUrlSigner.configured(CURRENT,
                Optional.of(" " + PREVIOUS + " ,, " + RETIRED + ","));
        // configured() uses the system clock: sign with it too
        for (String key : List.of(CURRENT, PREVIOUS, RETIRED)) {
            String query = new ArtifactUrlSigner(key).sign(7, Duration.ofMinutes(5));
            assertThat(configured.verify(7, expires(query), signature(query))).as(key).isTrue();
        }
        String none = new ArtifactUrlSigner(PREVIOUS).sign(7, Duration.ofMinutes(5));
        assertThat(ArtifactUrlSigner.configured(CURRENT, Optional.empty()).verify(7, expires(none), signature(none)))
                .isFalse();
    }

    @Test
    void givenHostileParameters_whenVerifying_thenFalseNeverAnException() {
        ArtifactUrlSigner rotated = new ArtifactUrlSigner(CURRENT, List.of(PREVIOUS), now);
        String query = rotated.sign(42, Duration.ofMinutes(5));

        for (String signature : new String[] { "", "zz", "0", "é", signature(query) + "00",
                signature(query).substring(1), "%00", " ".repeat(64) }) {
            assertThat(rotated.verify(42, expires(query), signature)).as(signature).isFalse();
        }
        assertThat(rotated.verify(42, Long.MAX_VALUE, signature(query))).isFalse();
        assertThat(rotated.verify(42, Long.MIN_VALUE, signature(query))).isFalse();
        assertThat(rotated.verify(Long.MIN_VALUE, Long.MAX_VALUE, "ab".repeat(32))).isFalse();
    }

    @Test
    void refusesAShortKey() {
        assertThatThrownBy(() -> new ArtifactUrlSigner("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArtifactUrlSigner(CURRENT, List.of("short"), now))
                .as("a short previous key").isInstanceOf(IllegalArgumentException.class);
    }

    private static long expires(String query) {
        return Long.parseLong(query.replaceAll(".*expires=(-?\\d+).*", "$1"));
    }

    private static String signature(String query) {
        return query.replaceAll(".*signature=([0-9a-f]+).*", "$1");
    }
}
