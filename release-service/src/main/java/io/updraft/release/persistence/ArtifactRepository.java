package io.updraft.release.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.release.domain.Artifact;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ArtifactRepository implements PanacheRepositoryBase<Artifact, Long> {
}
