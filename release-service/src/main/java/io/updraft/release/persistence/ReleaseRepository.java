package io.updraft.release.persistence;

import io.updraft.events.SemVer;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.updraft.release.domain.Release;
import io.updraft.release.domain.ReleaseState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ReleaseRepository implements PanacheRepositoryBase<Release, String> {
    private static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("id", Sort.Direction.Descending);

    public Optional<Release> findByNameAndVersion(String name, String version) {
        return find("name = ?1 and version = ?2", name, version).firstResultOptional();
    }

    /** The row lock serialises state changes of one release across replicas. */
    public Optional<Release> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<Release> newest(String name, ReleaseState state, int limit) {
        return newest(name, state, null, null, limit);
    }

    /**
     * Newest first after a point of that order (keyset paging): releases created before {@code beforeCreatedAt}, or
     * at that instant with a smaller id. Null bounds: from the newest.
     */
    public List<Release> newest(String name, ReleaseState state, java.time.Instant beforeCreatedAt, String beforeId,
            int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (name != null) {
            where.append(" and name = :name");
            params.put("name", name);
        }
        if (state != null) {
            where.append(" and state = :state");
            params.put("state", state);
        }
        if (beforeCreatedAt != null) {
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.put("at", beforeCreatedAt);
            params.put("id", beforeId);
        }
        return find(where.toString(), NEWEST_FIRST, params).page(Page.ofSize(limit)).list();
    }

    /** Every release of a name (for SemVer ordering, which SQL cannot do). */
    public List<Release> named(String name) {
        return list("name", name);
    }
}
