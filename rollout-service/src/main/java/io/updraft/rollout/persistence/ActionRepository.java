package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.support.persistence.SqlValues;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Device actions. New actions are created set-based and {@code on conflict do nothing} against the unique indexes
 * (one install and one rollback per rollout and device), so a retried decision cannot send a device the same
 * action twice. Every statement is within the current tenant ({@link Tenants#current()}, ADR 0021): another tenant's
 * action is not found, as an unknown one.
 */
@ApplicationScoped
public class ActionRepository {
    private static final String COLUMNS = "action_id, rollout_id, device_id, wave, cohort, release_id, version, rollback, state";
    private static final String OPEN = "('SCHEDULED', 'RUNNING')";

    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /**
     * Hands a started wave to the {@code CommandDispatcher}, which creates its install actions (devices of ACTIVE
     * cohorts, in device order) and sends them after the commit. Nothing is created yet: {@code created_upto} 0.
     */
    public void dispatchWave(String rolloutId, int wave) {
        entityManager.createNativeQuery("""
                insert into command_dispatch (rollout_id, wave, last_action_id, created_upto, created_at, tenant_id)
                values (?1, ?2, 0, 0, now(), ?3)
                on conflict do nothing""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenants.current()).executeUpdate();
    }

    /**
     * Creates rollback actions for the cohort's devices that installed the rollout's release: to the rollout's named
     * rollback release (also for devices with no known previous release), else — or if that release was revoked
     * meanwhile — back to the release each ran before (devices with none, or one unknown to the catalog, stay as they
     * are).
     */
    public List<DeviceAction> scheduleRollbacks(String rolloutId, String cohort) {
        return actions(entityManager.createNativeQuery("""
                insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                           rollback, state, created_at, updated_at, tenant_id)
                select nextval('action_id_seq'), a.rollout_id, a.device_id, a.wave, a.cohort, r.release_id,
                       r.version, true, 'SCHEDULED', now(), now(), a.tenant_id
                from device_action a
                join rollout_device rd on rd.tenant_id = a.tenant_id and rd.rollout_id = a.rollout_id
                                      and rd.device_id = a.device_id
                join rollout ro on ro.tenant_id = a.tenant_id and ro.id = a.rollout_id
                left join release named on named.tenant_id = a.tenant_id and named.release_id = ro.rollback_release_id
                                       and not named.revoked
                join release r on r.tenant_id = a.tenant_id and r.release_id = coalesce(named.release_id, rd.from_release_id)
                where a.rollout_id = ?1 and a.cohort = ?2 and not a.rollback and a.state = 'SUCCEEDED'
                      and a.tenant_id = ?3
                order by a.device_id
                on conflict do nothing
                returning\s""" + COLUMNS)
                .setParameter(1, rolloutId).setParameter(2, cohort).setParameter(3, tenants.current()));
    }

    /**
     * Cancels the open install actions of a rollout (or of one of its cohorts); returns the actions canceled, each to
     * get a CancelRequested. Waits for the rollout's command dispatch first, so every InstallRequested already handed
     * to Kafka is acknowledged before the CancelRequested is written, and the dispatcher never sends an action
     * canceled here. An action the device may have is CANCELING until the gateway reports how it ended (hawkBit's
     * rule); one the dispatcher created and never sent (beyond its wave's sending cursor) is CANCELED at once — its
     * CancelRequested is then a no-op at the gateway, unless the action came another way (a device joining the wave
     * through the outbox), in which case the device's own answer still ends it ({@code ActionTracker}). Cancelling
     * the whole rollout ends its dispatch: devices the dispatcher had not reached get no action at all. (A cohort's
     * devices not reached yet get none either: the dispatcher creates actions only in ACTIVE cohorts.)
     */
    public List<DeviceAction> cancelOpenInstalls(String rolloutId, String cohortOrNull) {
        String tenant = tenants.current();
        entityManager.createNativeQuery("select 1 from command_dispatch where rollout_id = ?1 and tenant_id = ?2"
                + " for update")
                .setParameter(1, rolloutId).setParameter(2, tenant).getResultList();
        Query update = entityManager.createNativeQuery("""
                update device_action a set updated_at = now(), state = case
                    when a.state = 'SCHEDULED' and exists (select 1 from command_dispatch d where d.rollout_id = a.rollout_id
                                                           and d.tenant_id = a.tenant_id and d.wave = a.wave
                                                           and a.action_id > d.last_action_id)
                    then 'CANCELED' else 'CANCELING' end
                where a.rollout_id = ?1 and a.tenant_id = ?2 and not a.rollback and a.state in\s""" + OPEN
                + (cohortOrNull == null ? "" : " and a.cohort = ?3") + " returning " + COLUMNS)
                .setParameter(1, rolloutId).setParameter(2, tenant);
        if (cohortOrNull != null) {
            update.setParameter(3, cohortOrNull);
        }
        List<DeviceAction> canceled = actions(update);
        if (cohortOrNull == null) {
            entityManager.createNativeQuery("delete from command_dispatch where rollout_id = ?1 and tenant_id = ?2")
                    .setParameter(1, rolloutId).setParameter(2, tenant).executeUpdate();
        }
        return canceled;
    }

    public Optional<DeviceAction> find(long actionId) {
        return actions(entityManager.createNativeQuery("select " + COLUMNS
                + " from device_action where action_id = ?1 and tenant_id = ?2")
                .setParameter(1, actionId).setParameter(2, tenants.current())).stream().findFirst();
    }

    /**
     * Moves an open action to {@code next}; a terminal action never changes again (late or repeated reports).
     *
     * @return true if the action changed
     */
    public boolean advance(long actionId, ActionState next) {
        String from = next == ActionState.RUNNING ? "('SCHEDULED')" : OPEN;
        return entityManager.createNativeQuery("update device_action set state = ?2, updated_at = now()"
                + " where action_id = ?1 and tenant_id = ?3 and state in " + from)
                .setParameter(1, actionId).setParameter(2, next.name()).setParameter(3, tenants.current())
                .executeUpdate() == 1;
    }

    public List<DeviceAction> list(String rolloutId, String deviceIdOrNull) {
        Query query = entityManager.createNativeQuery("select " + COLUMNS + " from device_action"
                + " where rollout_id = ?1 and tenant_id = ?2"
                + (deviceIdOrNull == null ? "" : " and device_id = ?3") + " order by action_id")
                .setParameter(1, rolloutId).setParameter(2, tenants.current());
        if (deviceIdOrNull != null) {
            query.setParameter(3, deviceIdOrNull);
        }
        return actions(query);
    }

    /** Install actions per wave and state. */
    public Map<Integer, Map<ActionState, Long>> installCounts(String rolloutId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select wave, state, count(*) from device_action where rollout_id = ?1 and tenant_id = ?2 and not rollback
                group by wave, state""")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList();
        Map<Integer, Map<ActionState, Long>> counts = new HashMap<>();
        rows.forEach(row -> counts.computeIfAbsent(SqlValues.integer(row[0]), wave -> new EnumMap<>(ActionState.class))
                .put(ActionState.valueOf(SqlValues.text(row[1])), SqlValues.number(row[2])));
        return counts;
    }

    public Map<ActionState, Long> rollbackCounts(String rolloutId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "select state, count(*) from device_action where rollout_id = ?1 and tenant_id = ?2 and rollback"
                        + " group by state")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList();
        Map<ActionState, Long> counts = new EnumMap<>(ActionState.class);
        rows.forEach(row -> counts.put(ActionState.valueOf(SqlValues.text(row[0])), SqlValues.number(row[1])));
        return counts;
    }

    @SuppressWarnings("unchecked")
    private static List<DeviceAction> actions(Query query) {
        return ((List<Object[]>) query.getResultList()).stream()
                .map(row -> new DeviceAction(SqlValues.number(row[0]), SqlValues.text(row[1]), SqlValues.text(row[2]),
                        SqlValues.integer(row[3]), SqlValues.text(row[4]), SqlValues.text(row[5]), SqlValues.text(row[6]),
                        SqlValues.flag(row[7]), ActionState.valueOf(SqlValues.text(row[8]))))
                .toList();
    }
}
