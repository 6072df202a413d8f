package io.updraft.release.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.release.domain.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/**
 * The tenant registry (table {@code tenant}), platform-wide: {@link Tenant} has no {@code @TenantId}, so these
 * statements are not limited to the session's tenant. Only the platform administrator's use cases call them.
 */
@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

    /** The row lock serialises changes of one tenant across replicas (and its quota checks: {@link StoredBytes}). */
    public Optional<Tenant> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Up to {@code limit} tenants by id, after {@code afterId} (keyset paging; null: from the first). Ids compare byte
     * by byte ({@code collate "C"}), whatever the database's locale, so the order is the same everywhere.
     */
    @SuppressWarnings("unchecked")
    public List<Tenant> page(String afterId, int limit) {
        var query = getEntityManager().createNativeQuery("select * from tenant"
                + (afterId == null ? "" : " where id collate \"C\" > :after") + " order by id collate \"C\" limit :limit",
                Tenant.class);
        if (afterId != null) {
            query.setParameter("after", afterId);
        }
        return query.setParameter("limit", limit).getResultList();
    }
}
