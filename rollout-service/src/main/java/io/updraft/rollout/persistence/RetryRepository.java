package io.updraft.rollout.persistence;

import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The attempts of a device's install: a failed attempt within the retry budget is followed by a new action. */
@ApplicationScoped
public class RetryRepository {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** @param actionId the new attempt's action; {@code attempt} counts from 1 */
    public record Attempt(long actionId, int attempt) {
    }

    /** The attempt number of an install action (1 for the first). */
    public int attemptOf(long actionId) {
        return ((Number) entityManager.createNativeQuery("select attempt from device_action"
                + " where action_id = ?1 and tenant_id = ?2")
                .setParameter(1, actionId).setParameter(2, tenants.current()).getSingleResult()).intValue();
    }

    /**
     * Creates the next attempt of a failed install (same rollout, device, wave, cohort and release; a new action id)
     * — or nothing if that attempt exists already, so a redelivered failure cannot send a device two retries.
     */
    public Optional<Attempt> scheduleNextAttempt(long failedActionId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                           rollback, state, created_at, updated_at, attempt, tenant_id)
                select nextval('action_id_seq'), rollout_id, device_id, wave, cohort, release_id, version,
                       false, 'SCHEDULED', now(), now(), attempt + 1, tenant_id
                from device_action where action_id = ?1 and not rollback and tenant_id = ?2
                on conflict do nothing
                returning action_id, attempt""")
                .setParameter(1, failedActionId).setParameter(2, tenants.current()).getResultList();
        return rows.stream().findFirst()
                .map(row -> new Attempt(((Number) row[0]).longValue(), ((Number) row[1]).intValue()));
    }
}
