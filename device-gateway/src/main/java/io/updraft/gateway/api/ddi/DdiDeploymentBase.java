package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** deploymentBase (and installedBase) answer, shaped as hawkBit's. */
public record DdiDeploymentBase(String id, Deployment deployment, ActionHistory actionHistory) {
    /** {@code maintenanceWindow} ("available" / "unavailable") only when the action has one. */
    public record Deployment(String download, String update,
            @JsonInclude(JsonInclude.Include.NON_NULL) String maintenanceWindow, List<Chunk> chunks) {
    }

    public record Chunk(String part, String version, String name, List<DdiArtifact> artifacts) {
    }

    public record ActionHistory(String status, List<String> messages) {
    }

    /** One downloadable file: the {@code _links} are download, download-http, md5sum, md5sum-http. */
    public record DdiArtifact(String filename, Hashes hashes, long size, @JsonProperty("_links") Map<String, DdiLink> links) {
    }

    public record Hashes(String sha1, String md5, String sha256) {
    }
}
