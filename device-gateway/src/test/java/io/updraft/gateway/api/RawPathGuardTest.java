package io.updraft.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawPathGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "/DEFAULT%2Fx/controller/v1/dev",
            "/%2FDEFAULT/controller/v1/dev",
            "/DEFAULT%2F/controller/v1/dev",
            "/DEFAULT%2f/controller/v1/dev",
            "/DEFAULT%5C/controller/v1/dev",
            "/DEFAULT%5c/controller/v1/dev",
            "/DEFAULT\\x/controller/v1/dev",
            "/DEFAULT/controller/v1/dev/../other",
            "/DEFAULT/controller/v1/dev/./configData",
            "/DEFAULT/controller/v1/dev/..",
            "/DEFAULT/controller/v1/dev/.",
            "/../DEFAULT/controller/v1/dev",
            "/DEFAULT/controller/v1/%2E%2E/dev",
            "/DEFAULT/controller/v1/%2e/dev",
            "/DEFAULT/controller/v1/dev%2E",
            "/DEFAULT%252Fx/controller/v1/dev",
            "/DEFAULT/controller/v1/dev%00",
            "/DEFAULT/controller/v1/dev%0D%0AX-Injected:%201",
            "/DEFAULT/controller/v1/dev%7f",
            "/DEFAULT/controller/v1/dev\u0000",
            "/DEFAULT/controller/v1/dev\t",
            "/DEFAULT/controller/v1/dev%",
            "/DEFAULT/controller/v1/dev%2",
            "/DEFAULT/controller/v1/dev%zz",
            "/DEFAULT/controller/v1/dev%G0" })
    void givenAPathThatCouldBeReadTwoWays_thenRefused(String rawPath) {
        assertThat(RawPathGuard.refused(rawPath)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/DEFAULT/controller/v1/dev-001",
            "/DEFAULT/controller/v1/dev-001/deploymentBase/7",
            "/DEFAULT/controller/v1/00:1A:2B:3C:4D:5E/configData",
            "/DEFAULT/controller/v1/dev.1/softwaremodules/1/artifacts/fw-1.0.swu.MD5SUM",
            "/DEFAULT/controller/v1/dev/softwaremodules/1/artifacts/my%20image.swu",
            "/DEFAULT/controller/v1/dev/softwaremodules/1/artifacts/fw..swu",
            "/DEFAULT/controller/v1/dev/softwaremodules/1/artifacts/...",
            "/api/v1/devices/dev-001/token",
            "/q/health/ready",
            "/",
            "" })
    void givenAnOrdinaryPath_thenLetThrough(String rawPath) {
        assertThat(RawPathGuard.refused(rawPath)).isFalse();
    }
}
