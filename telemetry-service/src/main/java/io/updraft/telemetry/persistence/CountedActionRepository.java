package io.updraft.telemetry.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** The inbox dedupes event ids; this dedupes actions, in case one result is published twice under new ids. */
@ApplicationScoped
public class CountedActionRepository {
    @Inject
    EntityManager entityManager;

    /** @return true the first time the final result of the tenant's {@code actionId} is counted */
    @Transactional(TxType.MANDATORY)
    public boolean firstCount(String tenant, long actionId, String rolloutId, Instant now) {
        return entityManager.createNativeQuery("""
                insert into counted_action (tenant_id, action_id, rollout_id, counted_at) values (?1, ?2, ?3, ?4)
                on conflict do nothing
                """)
                .setParameter(1, tenant)
                .setParameter(2, actionId)
                .setParameter(3, rolloutId)
                .setParameter(4, now)
                .executeUpdate() == 1;
    }
}
