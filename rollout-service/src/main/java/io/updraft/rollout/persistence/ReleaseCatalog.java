package io.updraft.rollout.persistence;

import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.support.persistence.SqlValues;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * The releases each tenant may roll out, as its {@code releases} records published them: a tenant's catalog is its
 * own ({@link Tenants#current()}, ADR 0021); another tenant's release is unknown here.
 */
@ApplicationScoped
public class ReleaseCatalog {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** A release is immutable once published: a second ReleasePublished for the same id changes nothing. */
    public void publish(ReleasePublished published) {
        entityManager.createNativeQuery("""
                insert into release (release_id, name, version, artifacts, hardware, published_at, tenant_id)
                values (?1, ?2, ?3, cast(?4 as jsonb), cast(?5 as jsonb), ?6, ?7)
                on conflict (tenant_id, release_id) do nothing""")
                .setParameter(1, published.releaseId())
                .setParameter(2, published.name())
                .setParameter(3, published.version())
                .setParameter(4, JsonColumns.write(published.artifacts()))
                .setParameter(5, JsonColumns.write(published.hardware()))
                .setParameter(6, published.occurredAt())
                .setParameter(7, tenants.current())
                .executeUpdate();
    }

    public void revoke(String releaseId) {
        entityManager.createNativeQuery("update release set revoked = true where release_id = ?1 and tenant_id = ?2")
                .setParameter(1, releaseId).setParameter(2, tenants.current()).executeUpdate();
    }

    /** @return how many releases were marked (0: not in the catalog) */
    public int markStable(String releaseId) {
        return entityManager.createNativeQuery("update release set stable = true where release_id = ?1 and tenant_id = ?2")
                .setParameter(1, releaseId).setParameter(2, tenants.current()).executeUpdate();
    }

    public Optional<CatalogRelease> find(String releaseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select release_id, name, version, artifacts::text, hardware::text, revoked
                from release where release_id = ?1 and tenant_id = ?2""")
                .setParameter(1, releaseId)
                .setParameter(2, tenants.current())
                .getResultList();
        return rows.stream().findFirst().map(row -> new CatalogRelease(SqlValues.text(row[0]), SqlValues.text(row[1]),
                SqlValues.text(row[2]), JsonColumns.artifacts(SqlValues.text(row[3])),
                JsonColumns.hardware(SqlValues.text(row[4])), SqlValues.flag(row[5])));
    }
}
