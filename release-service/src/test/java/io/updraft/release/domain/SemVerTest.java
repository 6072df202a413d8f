package io.updraft.release.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest
    @ValueSource(strings = { "0.0.0", "1.1.0", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
            "1.0.0-x.7.z.92", "1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
            "1.0.0-x-y-z.--", "2.0.0-rc.1+build.7" })
    void givenAVersionFromTheSpec_whenValidating_thenAccepted(String version) {
        assertThat(SemVer.isValid(version)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "1", "1.0", "1.0.0.0", "01.0.0", "1.02.0", "1.0.0-", "1.0.0+", "1.0.0-01",
            "v1.0.0", " 1.0.0", "1.0.0 ", "1.0.0-alpha..1", "1.0.0+build+2", "1.0.0-é", "١.٠.٠" })
    void givenAnythingElse_whenValidating_thenRejected(String version) {
        assertThat(SemVer.isValid(version)).isFalse();
    }
}
