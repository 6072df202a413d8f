package io.updraft.support.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ArtifactUrlSignerTest {
    private final Clock now = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private final ArtifactUrlSigner signer = new ArtifactUrlSigner("0123456789abcdef-test", now);

    @Test
    void acceptsItsOwnSignatureUntilItExpires() {
        String query = signer.sign(42, Duration.ofMinutes(5));
        long expires = Long.parseLong(query.replaceAll(".*expires=(\\d+).*", "$1"));
        String signature = query.replaceAll(".*signature=([0-9a-f]+).*", "$1");

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
    void refusesAShortKey() {
        assertThatThrownBy(() -> new ArtifactUrlSigner("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
