package io.updraft.telemetry.persistence;

import io.updraft.support.persistence.SqlValues;
import io.updraft.telemetry.domain.CohortKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where each device of a rollout stands, for the dashboard's "devices per state". */
@ApplicationScoped
public class DeviceProgressRepository {
    public static final String INSTALLING = "INSTALLING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
    public static final String CANCELED = "CANCELED";
    /** the device refused an install that asked for its confirmation */
    public static final String DENIED = "DENIED";
    /** the action's deadline (or its confirmation deadline) passed before the device took it */
    public static final String EXPIRED = "EXPIRED";

    @Inject
    EntityManager entityManager;

    /** Progress never overwrites a result: a late "proceeding" after the result leaves the result. */
    @Transactional(TxType.MANDATORY)
    public void installing(CohortKey key, String deviceId, Instant now) {
        entityManager.createNativeQuery("""
                insert into device_progress (rollout_id, device_id, cohort, state, updated_at, tenant_id)
                values (?1, ?2, ?3, 'INSTALLING', ?4, ?5) on conflict do nothing
                """)
                .setParameter(1, key.rolloutId)
                .setParameter(2, deviceId)
                .setParameter(3, key.cohort)
                .setParameter(4, now)
                .setParameter(5, key.tenantId)
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void reached(CohortKey key, String deviceId, String state, Instant now) {
        entityManager.createNativeQuery("""
                insert into device_progress (rollout_id, device_id, cohort, state, updated_at, tenant_id)
                values (?1, ?2, ?3, ?4, ?5, ?6)
                on conflict (tenant_id, rollout_id, device_id) do update
                set state = excluded.state, updated_at = excluded.updated_at
                """)
                .setParameter(1, key.rolloutId)
                .setParameter(2, deviceId)
                .setParameter(3, key.cohort)
                .setParameter(4, state)
                .setParameter(5, now)
                .setParameter(6, key.tenantId)
                .executeUpdate();
    }

    public Map<String, Long> countsOf(String tenant, String rolloutId) {
        List<?> rows = entityManager.createNativeQuery("""
                select state, count(*) from device_progress where tenant_id = ?1 and rollout_id = ?2
                group by state order by state
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .getResultList();
        Map<String, Long> counts = new LinkedHashMap<>();
        rows.stream().map(Object[].class::cast).forEach(row -> counts.put((String) row[0], SqlValues.number(row[1])));
        return counts;
    }
}
