package io.updraft.release.rest;

import io.updraft.release.domain.ReleaseState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A release as the management API shows it. */
public record ReleaseView(String id, String name, String version, ReleaseState state, String notes,
        String minInstalledVersion, Map<String, String> labels, List<HardwareView> hardware,
        List<ArtifactView> artifacts, Instant createdAt, Instant stateChangedAt, String revokedReason) {

    public record HardwareView(String model, String revision) {
    }

    /** {@code signedBy}: subject of the trusted key whose signature was verified at upload, null when unsigned. */
    public record ArtifactView(long id, String part, String filename, long size, String sha256, String sha1,
            String md5, String signedBy) {
    }
}
