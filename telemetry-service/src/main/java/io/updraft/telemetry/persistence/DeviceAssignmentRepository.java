package io.updraft.telemetry.persistence;

import io.updraft.telemetry.domain.CohortKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which rollout and cohort a device's health counts towards, per tenant (two tenants' gw-1 are two devices). Reports
 * of one device arrive in order (keyed topic).
 */
@ApplicationScoped
public class DeviceAssignmentRepository {
    @Inject
    EntityManager entityManager;

    @Transactional(TxType.MANDATORY)
    public void assign(String deviceId, CohortKey key, long actionId, Instant now) {
        entityManager.createNativeQuery("""
                insert into device_assignment (device_id, rollout_id, cohort, action_id, assigned_at, tenant_id)
                values (?1, ?2, ?3, ?4, ?5, ?6)
                on conflict (tenant_id, device_id) do update set rollout_id = excluded.rollout_id,
                    cohort = excluded.cohort,
                    action_id = excluded.action_id, assigned_at = excluded.assigned_at
                """)
                .setParameter(1, deviceId)
                .setParameter(2, key.rolloutId)
                .setParameter(3, key.cohort)
                .setParameter(4, actionId)
                .setParameter(5, now)
                .setParameter(6, key.tenantId)
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void release(String tenant, String deviceId) {
        entityManager.createNativeQuery("delete from device_assignment where tenant_id = ?1 and device_id = ?2")
                .setParameter(1, tenant)
                .setParameter(2, deviceId)
                .executeUpdate();
    }

    /** A canceled action leaves the device on what it ran before: its health no longer speaks for the rollout. */
    @Transactional(TxType.MANDATORY)
    public void releaseAction(String tenant, String deviceId, long actionId) {
        entityManager.createNativeQuery(
                "delete from device_assignment where tenant_id = ?1 and device_id = ?2 and action_id = ?3")
                .setParameter(1, tenant)
                .setParameter(2, deviceId)
                .setParameter(3, actionId)
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public Optional<CohortKey> assignmentOf(String tenant, String deviceId) {
        List<?> rows = entityManager.createNativeQuery(
                "select rollout_id, cohort from device_assignment where tenant_id = ?1 and device_id = ?2")
                .setParameter(1, tenant)
                .setParameter(2, deviceId)
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new CohortKey(tenant, (String) row[0], (String) row[1]))
                .findFirst();
    }
}
