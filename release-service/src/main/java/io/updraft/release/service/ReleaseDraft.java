package io.updraft.release.service;

import io.updraft.release.domain.ArtifactHashes;
import io.updraft.release.domain.ArtifactZchunk;
import io.updraft.release.domain.HardwareTarget;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.domain.ReleaseSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated publish request whose files are spooled, hashed and verified but not yet stored, or which references
 * two-step uploads whose bytes are staged in the store.
 */
public record ReleaseDraft(String name, String version, ReleaseState initialState, String notes,
        String minInstalledVersion, Map<String, String> labels, List<HardwareTarget> hardware,
        List<DraftArtifact> artifacts) {

    public ReleaseDraft {
        labels = Map.copyOf(labels);
        hardware = List.copyOf(hardware);
        artifacts = List.copyOf(artifacts);
    }

    /**
     * One file: where it was spooled (a multipart file) or which upload holds it (then {@code usedByRelease} names
     * the release that already adopted that upload, if any), what it hashes to, and whose verified signature it
     * carries; {@code role} full, delta or delta-source (ArtifactRef's roles, already checked).
     */
    public record DraftArtifact(String part, String filename, Path spooledFile, String uploadId, String usedByRelease,
            ArtifactHashes hashes, String signedBy, ArtifactZchunk zchunk, String role) {

        public static DraftArtifact spooled(String part, String filename, Path file, ArtifactHashes hashes,
                String signedBy, ArtifactZchunk zchunk, String role) {
            return new DraftArtifact(part, filename, file, null, null, hashes, signedBy, zchunk, role);
        }

        public static DraftArtifact uploaded(String part, String filename, String uploadId, String usedByRelease,
                ArtifactHashes hashes, String signedBy, ArtifactZchunk zchunk, String role) {
            return new DraftArtifact(part, filename, null, uploadId, usedByRelease, hashes, signedBy, zchunk, role);
        }
    }

    /**
     * What makes two publishes of the same name+version "the same release": the files (names and bytes), the hardware
     * and the upgrade path. Notes and labels may differ (a re-run CI job). Empty when identical, else what differs.
     */
    public Optional<String> differenceFrom(ReleaseSnapshot existing) {
        Set<String> files = existing.artifacts().stream().map(a -> fingerprint(a.filename(), a.sha256()))
                .collect(Collectors.toSet());
        if (!files.equals(fileFingerprints())) {
            return Optional.of("different artifacts");
        }
        Set<String> roles = existing.artifacts().stream().map(a -> a.filename() + "\u0000" + a.role())
                .collect(Collectors.toSet());
        if (!roles.equals(artifacts.stream().map(a -> a.filename() + "\u0000" + a.role())
                .collect(Collectors.toSet()))) {
            return Optional.of("different artifact roles");
        }
        Set<String> existingHardware = existing.hardware().stream().map(h -> h.model() + ":" + h.revision())
                .collect(Collectors.toSet());
        if (!existingHardware.equals(hardware.stream().map(h -> h.model() + ":" + h.revision())
                .collect(Collectors.toSet()))) {
            return Optional.of("different hardware compatibility");
        }
        if (!Objects.equals(existing.minInstalledVersion(), minInstalledVersion)) {
            return Optional.of("a different minimum installed version");
        }
        return Optional.empty();
    }

    public Set<String> fileFingerprints() {
        return artifacts.stream().map(a -> fingerprint(a.filename(), a.hashes().sha256())).collect(Collectors.toSet());
    }

    public static String fingerprint(String filename, String sha256) {
        return filename + "\u0000" + sha256;
    }
}
