package io.updraft.release.service;

import io.updraft.release.domain.ReleaseState;
import io.updraft.events.SemVer;
import io.updraft.release.mapping.ReleaseMapper;
import io.updraft.release.repository.ArtifactRepository;
import io.updraft.release.repository.ReleaseRepository;
import io.updraft.release.rest.ReleaseView;
import io.updraft.release.rest.ReleaseView.ArtifactView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Read side: views are built inside the transaction so lazy collections are loaded while the session is open. */
@ApplicationScoped
public class ReleaseCatalog {
    /** Highest SemVer precedence first; equal precedence (build metadata only) newest first. */
    public static final Comparator<ReleaseView> HIGHEST_VERSION_FIRST = Comparator
            .comparing((ReleaseView r) -> SemVer.parse(r.version())).reversed()
            .thenComparing(ReleaseView::createdAt, Comparator.reverseOrder());

    @Inject
    ReleaseRepository releases;
    @Inject
    ArtifactRepository artifacts;

    /** An artifact and the state of the release it belongs to (devices get only offered releases' bytes). */
    public record ReleasedArtifact(ArtifactView artifact, ReleaseState releaseState) {
    }

    @Transactional
    public Optional<ReleaseView> find(String id) {
        return releases.findByIdOptional(id).map(ReleaseMapper::toView);
    }

    @Transactional
    public Optional<ReleaseView> findByNameAndVersion(String name, String version) {
        return releases.findByNameAndVersion(name, version).map(ReleaseMapper::toView);
    }

    @Transactional
    public Optional<ReleasedArtifact> artifact(long id) {
        return artifacts.findByIdOptional(id)
                .map(a -> new ReleasedArtifact(ReleaseMapper.toView(a), a.release().state()));
    }

    @Transactional
    public List<ReleaseView> newest(String name, ReleaseState state, int limit) {
        return releases.newest(name, state, limit).stream().map(ReleaseMapper::toView).toList();
    }

    /** The releases of one name by SemVer precedence, highest first. */
    @Transactional
    public List<ReleaseView> byVersion(String name, ReleaseState state, int limit) {
        return releases.named(name).stream().filter(r -> state == null || r.state() == state)
                .map(ReleaseMapper::toView).sorted(HIGHEST_VERSION_FIRST).limit(limit).toList();
    }
}
