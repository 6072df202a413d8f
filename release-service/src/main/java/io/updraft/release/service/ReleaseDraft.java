package io.updraft.release.service;

import io.updraft.release.domain.ArtifactHashes;
import io.updraft.release.domain.HardwareTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A validated publish request whose files are spooled and hashed but not yet stored. */
public record ReleaseDraft(String name, String version, String notes, List<HardwareTarget> hardware,
        List<DraftArtifact> artifacts) {

    public ReleaseDraft {
        hardware = List.copyOf(hardware);
        artifacts = List.copyOf(artifacts);
    }

    /** One uploaded file: where it was spooled and what it hashes to. */
    public record DraftArtifact(String part, String filename, Path spooledFile, ArtifactHashes hashes) {
    }

    /** What makes two publishes of the same name+version "the same release": the file names and their bytes. */
    public Set<String> fileFingerprints() {
        return artifacts.stream().map(a -> fingerprint(a.filename(), a.hashes().sha256())).collect(Collectors.toSet());
    }

    public static String fingerprint(String filename, String sha256) {
        return filename + "\u0000" + sha256;
    }
}
