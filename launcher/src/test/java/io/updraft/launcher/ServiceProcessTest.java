package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void benchmarkedServicesRunWithTheFullJit() {
        assertThat(ServiceProcess.jvmOptions("benchmark")).contains("-Xmx512m")
                .noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    }

    @Test
    void theDemoKeepsItsQuickStartProfile() {
        assertThat(ServiceProcess.jvmOptions("")).containsExactly("-Xmx320m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1");
    }
}
