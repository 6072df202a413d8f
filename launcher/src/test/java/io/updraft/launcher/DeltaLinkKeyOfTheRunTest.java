package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The gateway refuses to start with a delta-link key under 32 bytes; each run gets its own. */
class DeltaLinkKeyOfTheRunTest {
    @Test
    void aNewKeyIs32RandomBytesInBase64_differentEachTime() {
        String first = LocalStack.newDeltaLinkKey();
        String second = LocalStack.newDeltaLinkKey();

        assertThat(Base64.getDecoder().decode(first)).hasSize(32);
        assertThat(Base64.getDecoder().decode(second)).hasSize(32);
        assertThat(first).isNotEqualTo(second);
    }
}
