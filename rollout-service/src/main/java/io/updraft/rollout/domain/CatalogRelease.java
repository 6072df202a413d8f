package io.updraft.rollout.domain;

import io.updraft.events.ArtifactRef;
import io.updraft.events.HardwareCompatibility;
import java.util.List;

/** A release as the rollout-service knows it from the releases topic. */
public record CatalogRelease(String releaseId, String name, String version, List<ArtifactRef> artifacts,
        List<HardwareCompatibility> hardware, boolean revoked) {

    public boolean accepts(String model, String revision) {
        return hardware.stream().anyMatch(entry -> entry.accepts(model, revision));
    }
}
