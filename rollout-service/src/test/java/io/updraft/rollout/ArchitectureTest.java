package io.updraft.rollout;

import io.updraft.testsupport.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The layers of the service (api, service, domain, persistence, messaging, config) and their directions. */
class ArchitectureTest {
    @Test
    void layersHold() {
        ServiceArchitecture.check("io.updraft.rollout");
    }
}
