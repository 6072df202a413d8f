package io.updraft.release.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.updraft.release.domain.Release;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ReleaseRepository implements PanacheRepositoryBase<Release, String> {
    private static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("id", Sort.Direction.Descending);

    public Optional<Release> findByNameAndVersion(String name, String version) {
        return find("name = ?1 and version = ?2", name, version).firstResultOptional();
    }

    public List<Release> newest(String name, int limit) {
        var query = name == null ? findAll(NEWEST_FIRST) : find("name", NEWEST_FIRST, name);
        return query.page(Page.ofSize(limit)).list();
    }
}
