package io.updraft.release;

import io.updraft.testsupport.ServiceArchitecture;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void followsTheServiceLayers() {
        // The tenant registry belongs to no tenant: platform-admin's, read by every service (ADR 0021 decision 5).
        ServiceArchitecture.check("io.updraft.release", Set.of("io.updraft.release.domain.Tenant"));
    }
}
