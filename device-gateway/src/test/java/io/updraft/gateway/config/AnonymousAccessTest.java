package io.updraft.gateway.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

class AnonymousAccessTest {

    @Test
    void givenAnonymousAccessInProduction_whenStarting_thenRefused() {
        assertThatThrownBy(() -> AnonymousAccess.refuseInProduction(true, LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("anonymous-enabled");
    }

    @Test
    void givenAnonymousAccessOffOrOutsideProduction_whenStarting_thenAllowed() {
        assertThatCode(() -> AnonymousAccess.refuseInProduction(false, LaunchMode.NORMAL)).doesNotThrowAnyException();
        assertThatCode(() -> AnonymousAccess.refuseInProduction(true, LaunchMode.TEST)).doesNotThrowAnyException();
        assertThatCode(() -> AnonymousAccess.refuseInProduction(true, LaunchMode.DEVELOPMENT))
                .doesNotThrowAnyException();
    }
}
