package io.updraft.release.service;

import io.updraft.release.domain.ReleaseState;
import io.updraft.events.SemVer;
import io.updraft.release.persistence.ArtifactRepository;
import io.updraft.release.persistence.ReleaseRepository;
import io.updraft.release.domain.ReleaseSnapshot;
import io.updraft.release.domain.ReleaseSnapshot.ArtifactSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Read side: snapshots are taken inside the transaction so lazy collections are loaded while the session is open. */
@ApplicationScoped
public class ReleaseCatalog {
    /** Highest SemVer precedence first; equal precedence (build metadata only) newest first. */
    public static final Comparator<ReleaseSnapshot> HIGHEST_VERSION_FIRST = Comparator
            .comparing((ReleaseSnapshot r) -> SemVer.parse(r.version())).reversed()
            .thenComparing(ReleaseSnapshot::createdAt, Comparator.reverseOrder());

    @Inject
    ReleaseRepository releases;
    @Inject
    ArtifactRepository artifacts;

    /** An artifact and the state of the release it belongs to (devices get only offered releases' bytes). */
    public record ReleasedArtifact(ArtifactSnapshot artifact, ReleaseState releaseState) {
    }

    @Transactional
    public Optional<ReleaseSnapshot> find(String id) {
        return releases.findByIdOptional(id).map(ReleaseSnapshot::of);
    }

    @Transactional
    public Optional<ReleaseSnapshot> findByNameAndVersion(String name, String version) {
        return releases.findByNameAndVersion(name, version).map(ReleaseSnapshot::of);
    }

    @Transactional
    public Optional<ReleasedArtifact> artifact(long id) {
        return artifacts.findByIdOptional(id)
                .map(a -> new ReleasedArtifact(ArtifactSnapshot.of(a), a.release().state()));
    }

    @Transactional
    public List<ReleaseSnapshot> newest(String name, ReleaseState state, int limit) {
        return releases.newest(name, state, limit).stream().map(ReleaseSnapshot::of).toList();
    }

    /** The next page of {@link #newest}: releases created before {@code createdAt} (ties broken by id). */
    @Transactional
    public List<ReleaseSnapshot> newestAfter(String name, ReleaseState state, Instant createdAt, String id,
            int limit) {
        return releases.newest(name, state, createdAt, id, limit).stream().map(ReleaseSnapshot::of).toList();
    }

    /** The releases of one name by SemVer precedence, highest first. */
    @Transactional
    public List<ReleaseSnapshot> byVersion(String name, ReleaseState state, int limit) {
        return releases.named(name).stream().filter(r -> state == null || r.state() == state)
                .map(ReleaseSnapshot::of).sorted(HIGHEST_VERSION_FIRST).limit(limit).toList();
    }
}
