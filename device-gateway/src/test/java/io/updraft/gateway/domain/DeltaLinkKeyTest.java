package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class DeltaLinkKeyTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String SHA = "ab".repeat(32);

    @Test
    void theKeyIsBase64UrlWithoutPaddingOfTheHmacOfTenantNewlineSha256() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(("DEFAULT\n" + SHA).getBytes(StandardCharsets.UTF_8)));

        DeltaLinkKey key = DeltaLinkKey.of(Base64.getEncoder().encodeToString(KEY));

        assertThat(key.sign("DEFAULT", SHA)).isEqualTo(expected).hasSize(43).doesNotContain("=", "+", "/");
        assertThat(key.matches("DEFAULT", SHA, expected)).isTrue();
        assertThat(key.matches("OTHER", SHA, expected)).isFalse();
        assertThat(key.matches("DEFAULT", "cd".repeat(32), expected)).isFalse();
        assertThat(key.matches("DEFAULT", SHA, expected + "A")).isFalse();
        assertThat(key.matches("DEFAULT", SHA, null)).isFalse();
    }

    @Test
    void aKeyShorterThan32BytesOrNotBase64IsRefused() {
        assertThatThrownBy(() -> DeltaLinkKey.of(Base64.getEncoder().encodeToString(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> DeltaLinkKey.of("not base64 at all!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64");
    }

    @Test
    void onlySixtyFourLowercaseHexDigitsAreASha256() {
        assertThat(DeltaLinkKey.isSha256(SHA)).isTrue();
        assertThat(DeltaLinkKey.isSha256(SHA.toUpperCase())).isFalse();
        assertThat(DeltaLinkKey.isSha256(SHA.substring(1))).isFalse();
        assertThat(DeltaLinkKey.isSha256(SHA + "a")).isFalse();
        assertThat(DeltaLinkKey.isSha256(null)).isFalse();
    }
}
