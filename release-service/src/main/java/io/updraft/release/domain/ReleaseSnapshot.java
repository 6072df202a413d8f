package io.updraft.release.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A release copied out of its entity while the transaction is open (its lazy collections loaded), so the caller can
 * use it after the transaction ends.
 */
public record ReleaseSnapshot(String id, String name, String version, ReleaseState state, String notes,
        String minInstalledVersion, Map<String, String> labels, List<Hardware> hardware,
        List<ArtifactSnapshot> artifacts, Instant createdAt, Instant stateChangedAt, String revokedReason) {

    public record Hardware(String model, String revision) {
    }

    /** {@code signedBy}: subject of the trusted key whose signature was verified at upload, null when unsigned. */
    public record ArtifactSnapshot(long id, String part, String filename, long size, String sha256, String sha1,
            String md5, String signedBy, ArtifactZchunk zchunk, String role) {

        public static ArtifactSnapshot of(Artifact a) {
            return new ArtifactSnapshot(a.id(), a.part(), a.filename(), a.size(), a.sha256(), a.sha1(), a.md5(),
                    a.signedBy(), a.zchunk(), a.role());
        }
    }

    public static ReleaseSnapshot of(Release release) {
        return new ReleaseSnapshot(release.id(), release.name(), release.version(), release.state(), release.notes(),
                release.minInstalledVersion(), new TreeMap<>(release.labels()),
                release.hardware().stream().map(h -> new Hardware(h.model(), h.revision())).toList(),
                release.artifacts().stream().map(ArtifactSnapshot::of).toList(),
                release.createdAt(), release.stateChangedAt(), release.revokedReason());
    }
}
