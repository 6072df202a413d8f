package io.updraft.release.rest;

import io.updraft.release.domain.ReleaseState;
import java.time.Instant;
import java.util.List;

/** A release as the management API shows it. */
public record ReleaseView(String id, String name, String version, ReleaseState state, String notes,
        List<HardwareView> hardware, List<ArtifactView> artifacts, Instant createdAt) {

    public record HardwareView(String model, String revision) {
    }

    public record ArtifactView(long id, String part, String filename, long size, String sha256, String sha1,
            String md5) {
    }
}
