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

    /** The artifact as {@link #find}, with the action it is downloaded for (what its bytes are counted against). */
    public Optional<Download> download(String controllerId, long artifactId, String filename) {
        return actions.currentOrLatest(controllerId).flatMap(action -> {
            var command = action.install();
            return command.artifacts().stream()
                    .filter(ref -> ref.artifactId() == artifactId && ref.filename().equals(filename))
                    .findFirst()
                    .map(ref -> new Download(action.actionId, command.releaseId(), ref));
        });
    }

    /**
     * An artifact a device may fetch, for its action {@code actionId} of release {@code releaseId} (may be null), or
     * through a delta link ({@code viaDeltaLink}: no device, no action, {@code actionId} 0).
     */
    public record Download(long actionId, String releaseId, ArtifactRef artifact, boolean viaDeltaLink) {
        public Download(long actionId, String releaseId, ArtifactRef artifact) {
            this(actionId, releaseId, artifact, false);
        }

        public static Download viaDeltaLink(String releaseId, ArtifactRef artifact) {
            return new Download(0, releaseId, artifact, true);
        }
    }
}
