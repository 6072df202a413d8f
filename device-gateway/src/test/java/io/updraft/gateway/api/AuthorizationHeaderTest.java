package io.updraft.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hand-written Authorization header split that replaced {@code trim().split("\\s+", 2)} on the poll path. */
class AuthorizationHeaderTest {
    @Test
    void givenSchemeAndCredentials_whenSplit_thenBoth() {
        assertThat(DdiAuthFilter.split("TargetToken abc-123")).containsExactly("TargetToken", "abc-123");
        assertThat(DdiAuthFilter.split("  GatewayToken \t secret  ")).containsExactly("GatewayToken", "secret");
    }

    @Test
    void givenCredentialsWithInnerSpaces_whenSplit_thenTheyStayWhole() {
        assertThat(DdiAuthFilter.split("Bearer a b  c")).containsExactly("Bearer", "a b  c");
    }

    @Test
    void givenNoCredentials_whenSplit_thenNothing() {
        assertThat(DdiAuthFilter.split(null)).isNull();
        assertThat(DdiAuthFilter.split("")).isNull();
        assertThat(DdiAuthFilter.split("   ")).isNull();
        assertThat(DdiAuthFilter.split("TargetToken")).isNull();
        assertThat(DdiAuthFilter.split("TargetToken   ")).isNull();
    }
}
