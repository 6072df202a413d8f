package io.updraft.release.api;

import io.updraft.release.domain.ReleaseSnapshot;
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

    /**
     * {@code signedBy}: subject of the trusted key whose signature was verified at upload, null when unsigned;
     * {@code role}: full, delta or delta-source (which devices the gateway offers it to).
     */
    public record ArtifactView(long id, String part, String filename, long size, String sha256, String sha1,
            String md5, String signedBy, ZchunkView zchunk, String role) {
    }

    /**
     * A .zck artifact's delta index: {@code headerSize} bytes from the start of the file are its header (what a .swu
     * embeds for SWUpdate's delta handler), {@code chunks} data chunks follow. Null for any other artifact.
     */
    public record ZchunkView(long headerSize, int chunks) {
    }

    public static ReleaseView of(ReleaseSnapshot r) {
        return new ReleaseView(r.id(), r.name(), r.version(), r.state(), r.notes(), r.minInstalledVersion(),
                r.labels(), r.hardware().stream().map(h -> new HardwareView(h.model(), h.revision())).toList(),
                r.artifacts().stream().map(a -> new ArtifactView(a.id(), a.part(), a.filename(), a.size(),
                        a.sha256(), a.sha1(), a.md5(), a.signedBy(), a.zchunk() == null ? null
                                : new ZchunkView(a.zchunk().headerSize(), a.zchunk().chunkCount()), a.role()))
                        .toList(),
                r.createdAt(), r.stateChangedAt(), r.revokedReason());
    }

    public static List<ReleaseView> of(List<ReleaseSnapshot> releases) {
        return releases.stream().map(ReleaseView::of).toList();
    }
}
