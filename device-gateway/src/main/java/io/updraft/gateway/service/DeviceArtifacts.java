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

    public List<ArtifactRef> ofModule(String tenant, String controllerId, long artifactId) {
        return actions.currentOrLatest(tenant, controllerId)
                .map(action -> action.install().artifacts().stream()
                        .filter(ref -> ref.artifactId() == artifactId)
                        .toList())
                .orElse(List.of());
    }

    public Optional<ArtifactRef> find(String tenant, String controllerId, long artifactId, String filename) {
        return ofModule(tenant, controllerId, artifactId).stream().filter(ref -> ref.filename().equals(filename))
                .findFirst();
    }

    /** The artifact as {@link #find}, with the action it is downloaded for (what its bytes are counted against). */
    public Optional<Download> download(String tenant, String controllerId, long artifactId, String filename) {
        return actions.currentOrLatest(tenant, controllerId).flatMap(action -> {
            var command = action.install();
            return command.artifacts().stream()
                    .filter(ref -> ref.artifactId() == artifactId && ref.filename().equals(filename))
                    .findFirst()
                    .map(ref -> new Download(tenant, action.actionId, command.releaseId(), ref));
        });
    }

    /**
     * An artifact a device of {@code tenant} may fetch, for its action {@code actionId} of release {@code releaseId}
     * (may be null), or through a delta link ({@code viaDeltaLink}: no device, no action, {@code actionId} 0).
     */
    public record Download(String tenant, long actionId, String releaseId, ArtifactRef artifact, boolean viaDeltaLink) {
        public Download(String tenant, long actionId, String releaseId, ArtifactRef artifact) {
            this(tenant, actionId, releaseId, artifact, false);
        }

        public static Download viaDeltaLink(String tenant, String releaseId, ArtifactRef artifact) {
            return new Download(tenant, 0, releaseId, artifact, true);
        }
    }
}
