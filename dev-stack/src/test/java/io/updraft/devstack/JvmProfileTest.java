package io.updraft.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmProfileTest {

    @Test
    void benchmarksRunTheBrokerLikeKafkasOwnStartScript() {
        assertThat(DevStack.jvmOptions("benchmark")).contains("-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20")
                .noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    }

    @Test
    void testsAndTheLocalStackKeepTheQuickStartProfile() {
        assertThat(DevStack.jvmOptions("")).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(DevStack.jvmOptions("anything else")).isEqualTo(DevStack.jvmOptions(""));
    }
}
