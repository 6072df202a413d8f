package io.updraft.gateway.service;

import io.updraft.events.ArtifactRef;
import io.updraft.gateway.persistence.DeviceActionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** The artifacts a device may fetch: those of its current action, or of its latest one once that ended. */
@ApplicationScoped
public class DeviceArtifacts {
    @Inject
    DeviceActionRepository actions;

    public List<ArtifactRef> ofModule(String controllerId, long artifactId) {
        return actions.currentOrLatest(controllerId)
                .map(action -> action.install().artifacts().stream()
                        .filter(ref -> ref.artifactId() == artifactId)
                        .toList())
                .orElse(List.of());
    }

    public Optional<ArtifactRef> find(String controllerId, long artifactId, String filename) {
        return ofModule(controllerId, artifactId).stream().filter(ref -> ref.filename().equals(filename)).findFirst();
    }
}
