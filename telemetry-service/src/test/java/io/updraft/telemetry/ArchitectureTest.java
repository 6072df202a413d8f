package io.updraft.telemetry;

import io.updraft.testsupport.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The layers every service has (test-support's ServiceArchitecture), held for telemetry-service. */
class ArchitectureTest {
    @Test
    void telemetry_service_keeps_the_service_layers() {
        ServiceArchitecture.check("io.updraft.telemetry");
    }
}
