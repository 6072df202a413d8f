package io.updraft.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** Artifact bytes served per action: one upsert per finished download, read when the action's result goes out. */
@ApplicationScoped
public class ActionBytesServedRepository {
    @Inject
    EntityManager em;

    /** Adds {@code bytes} to the action's count (creates it); callers run in a transaction. */
    public void add(String tenant, long actionId, long bytes) {
        em.createNativeQuery("""
                insert into action_bytes_served (tenant_id, action_id, bytes, updated_at) values (?4, ?1, ?2, ?3)
                on conflict (tenant_id, action_id) do update
                    set bytes = action_bytes_served.bytes + excluded.bytes, updated_at = excluded.updated_at""")
                .setParameter(1, actionId)
                .setParameter(2, bytes)
                .setParameter(3, Instant.now())
                .setParameter(4, tenant)
                .executeUpdate();
    }

    /** The bytes served for the action so far, or null when nothing was downloaded through this gateway. */
    public Long of(String tenant, long actionId) {
        @SuppressWarnings("unchecked")
        List<Number> found = em.createNativeQuery(
                "select bytes from action_bytes_served where tenant_id = ?2 and action_id = ?1")
                .setParameter(1, actionId)
                .setParameter(2, tenant)
                .getResultList();
        return found.isEmpty() ? null : found.get(0).longValue();
    }
}
