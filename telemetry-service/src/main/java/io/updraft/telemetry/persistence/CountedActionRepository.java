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

    /** @return true the first time the final result of {@code actionId} is counted */
    @Transactional(TxType.MANDATORY)
    public boolean firstCount(long actionId, String rolloutId, Instant now) {
        return entityManager.createNativeQuery(
                "insert into counted_action (action_id, rollout_id, counted_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, actionId)
                .setParameter(2, rolloutId)
                .setParameter(3, now)
                .executeUpdate() == 1;
    }
}
