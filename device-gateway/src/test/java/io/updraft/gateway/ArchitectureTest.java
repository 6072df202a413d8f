package io.updraft.gateway;

import io.updraft.testsupport.ServiceArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void followsTheServiceLayers() {
        ServiceArchitecture.check("io.updraft.gateway");
    }
}
