package io.updraft.release.service;

import io.updraft.release.mapping.ReleaseMapper;
import io.updraft.release.repository.ArtifactRepository;
import io.updraft.release.repository.ReleaseRepository;
import io.updraft.release.rest.ReleaseView;
import io.updraft.release.rest.ReleaseView.ArtifactView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Read side: views are built inside the transaction so lazy collections are loaded while the session is open. */
@ApplicationScoped
public class ReleaseCatalog {
    @Inject
    ReleaseRepository releases;
    @Inject
    ArtifactRepository artifacts;

    @Transactional
    public Optional<ReleaseView> find(String id) {
        return releases.findByIdOptional(id).map(ReleaseMapper::toView);
    }

    @Transactional
    public Optional<ReleaseView> findByNameAndVersion(String name, String version) {
        return releases.findByNameAndVersion(name, version).map(ReleaseMapper::toView);
    }

    @Transactional
    public Optional<ArtifactView> artifact(long id) {
        return artifacts.findByIdOptional(id).map(ReleaseMapper::toView);
    }

    @Transactional
    public List<ReleaseView> newest(String name, int limit) {
        return releases.newest(name, limit).stream().map(ReleaseMapper::toView).toList();
    }
}
