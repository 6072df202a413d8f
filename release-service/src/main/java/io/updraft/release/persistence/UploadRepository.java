package io.updraft.release.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.release.domain.Upload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class UploadRepository implements PanacheRepositoryBase<Upload, String> {

    /** The row lock serialises the PUT, the publish and the expiry sweep of one upload across replicas. */
    public Optional<Upload> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks up to {@code limit} of the session tenant's uploads to remove: unused ones past their expiry, used ones a
     * retention period later (kept that long so a second use is answered "already used"). Rows another transaction
     * holds are skipped.
     */
    @SuppressWarnings("unchecked")
    public List<String> lockExpired(Instant unusedBefore, Instant usedBefore, int limit) {
        return getEntityManager().createNativeQuery("""
                select id from uploads
                where tenant_id = ?1
                  and ((state <> 'USED' and expires_at <= ?2) or (state = 'USED' and expires_at <= ?3))
                order by expires_at limit ?4 for update skip locked""")
                .setParameter(1, SessionTenants.of(getEntityManager())).setParameter(2, unusedBefore)
                .setParameter(3, usedBefore).setParameter(4, limit)
                .getResultList();
    }

    /**
     * Platform-wide, the one statement here not limited to the session's tenant: which tenants have uploads to remove
     * (the sweep then removes them tenant by tenant, each as that tenant). Answers tenant ids only.
     */
    @SuppressWarnings("unchecked")
    public List<String> tenantsWithExpired(Instant unusedBefore, Instant usedBefore) {
        return getEntityManager().createNativeQuery("""
                select distinct tenant_id from uploads
                where (state <> 'USED' and expires_at <= ?1) or (state = 'USED' and expires_at <= ?2)""")
                .setParameter(1, unusedBefore).setParameter(2, usedBefore)
                .getResultList();
    }
}
