package io.updraft.rollout.persistence;

import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.support.persistence.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ReleaseCatalog {
    @Inject
    EntityManager entityManager;

    /** A release is immutable once published: a second ReleasePublished for the same id changes nothing. */
    public void publish(ReleasePublished published) {
        entityManager.createNativeQuery("""
                insert into release (release_id, name, version, artifacts, hardware, published_at)
                values (?1, ?2, ?3, cast(?4 as jsonb), cast(?5 as jsonb), ?6)
                on conflict (release_id) do nothing""")
                .setParameter(1, published.releaseId())
                .setParameter(2, published.name())
                .setParameter(3, published.version())
                .setParameter(4, JsonColumns.write(published.artifacts()))
                .setParameter(5, JsonColumns.write(published.hardware()))
                .setParameter(6, published.occurredAt())
                .executeUpdate();
    }

    public void revoke(String releaseId) {
        entityManager.createNativeQuery("update release set revoked = true where release_id = ?1")
                .setParameter(1, releaseId).executeUpdate();
    }

    /** @return how many releases were marked (0: not in the catalog) */
    public int markStable(String releaseId) {
        return entityManager.createNativeQuery("update release set stable = true where release_id = ?1")
                .setParameter(1, releaseId).executeUpdate();
    }

    public Optional<CatalogRelease> find(String releaseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select release_id, name, version, artifacts::text, hardware::text, revoked
                from release where release_id = ?1""")
                .setParameter(1, releaseId)
                .getResultList();
        return rows.stream().findFirst().map(row -> new CatalogRelease(SqlValues.text(row[0]), SqlValues.text(row[1]),
                SqlValues.text(row[2]), JsonColumns.artifacts(SqlValues.text(row[3])),
                JsonColumns.hardware(SqlValues.text(row[4])), SqlValues.flag(row[5])));
    }
}
