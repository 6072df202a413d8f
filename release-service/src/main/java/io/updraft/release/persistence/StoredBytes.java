package io.updraft.release.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * What the session's tenant stores and may store (ADR 0021 decision 5): the sizes of its releases' artifacts (each
 * release's own, as listed, as hawkBit counts them) plus two-step uploads received and not yet published, against the
 * {@code max_artifact_bytes} of its {@code tenant} row. Must run inside a transaction.
 */
@ApplicationScoped
public class StoredBytes {
    @Inject
    EntityManager entityManager;

    /** The tenant's artifact-bytes quota, read without a lock; null when unlimited (or the tenant has no row). */
    public Long quota() {
        return quota("");
    }

    /**
     * The same, with the tenant's row locked ({@code select … for update}) until the transaction ends: the quota check
     * and the rows it allows commit before another publish or upload of the tenant is counted.
     */
    public Long lockQuota() {
        return quota(" for update");
    }

    @SuppressWarnings("unchecked")
    private Long quota(String lock) {
        List<Number> rows = entityManager.createNativeQuery("select max_artifact_bytes from tenant where id = ?1" + lock)
                .setParameter(1, SessionTenants.of(entityManager)).getResultList();
        return rows.isEmpty() || rows.get(0) == null ? null : rows.get(0).longValue();
    }

    /** Bytes the tenant stores now: its artifacts and its received, unpublished uploads. */
    public long stored() {
        Number sum = (Number) entityManager.createNativeQuery("""
                select (select coalesce(sum(size), 0) from artifacts where tenant_id = ?1)
                     + (select coalesce(sum(size), 0) from uploads where tenant_id = ?1 and state = 'RECEIVED')""")
                .setParameter(1, SessionTenants.of(entityManager)).getSingleResult();
        return sum.longValue();
    }
}
