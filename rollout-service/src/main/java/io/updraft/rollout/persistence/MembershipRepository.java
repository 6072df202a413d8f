package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.InventoryDevice;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** A device that joins a dynamic rollout after its creation: its wave, cohort counters and, if needed, its action. */
@ApplicationScoped
public class MembershipRepository {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /**
     * The current tenant's unfinished dynamic rollouts, oldest first (a hint: the caller locks each before it adds a
     * device).
     */
    @SuppressWarnings("unchecked")
    public List<String> unfinishedDynamic() {
        return entityManager.createNativeQuery("""
                select id from rollout
                where dynamic and state in ('SCHEDULED', 'RUNNING', 'WAITING_FOR_APPROVAL', 'PAUSED')
                      and tenant_id = ?1
                order by created_at""").setParameter(1, tenants.current()).getResultList();
    }

    public boolean isMember(String rolloutId, String deviceId) {
        return !entityManager.createNativeQuery("select 1 from rollout_device"
                + " where rollout_id = ?1 and device_id = ?2 and tenant_id = ?3")
                .setParameter(1, rolloutId).setParameter(2, deviceId).setParameter(3, tenants.current())
                .getResultList().isEmpty();
    }

    /** @return the cohort's state in the rollout, empty if no device of it is in the rollout yet */
    public Optional<String> cohortState(String rolloutId, String cohort) {
        @SuppressWarnings("unchecked")
        List<String> rows = entityManager.createNativeQuery(
                "select state from rollout_cohort where rollout_id = ?1 and cohort = ?2 and tenant_id = ?3")
                .setParameter(1, rolloutId).setParameter(2, cohort).setParameter(3, tenants.current()).getResultList();
        return rows.stream().findFirst();
    }

    /**
     * Adds the device to {@code wave} and counts it in its wave, wave x cohort and cohort.
     *
     * @return false if it was a member already (nothing changed)
     */
    public boolean join(String rolloutId, InventoryDevice device, int wave, String cohort, String stratum) {
        String tenant = tenants.current();
        int added = entityManager.createNativeQuery("""
                insert into rollout_device (rollout_id, device_id, wave, cohort, from_release_id, from_version, stratum,
                                            tenant_id)
                values (?1, ?2, ?3, ?4, cast(?5 as varchar), cast(?6 as varchar), cast(?7 as text), ?8)
                on conflict do nothing""")
                .setParameter(1, rolloutId).setParameter(2, device.deviceId()).setParameter(3, wave)
                .setParameter(4, cohort).setParameter(5, device.installedReleaseId())
                .setParameter(6, device.installedVersion()).setParameter(7, stratum).setParameter(8, tenant)
                .executeUpdate();
        if (added == 0) {
            return false;
        }
        entityManager.createNativeQuery("""
                update rollout_wave set device_count = device_count + 1
                where rollout_id = ?1 and wave = ?2 and tenant_id = ?3""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenant).executeUpdate();
        entityManager.createNativeQuery("""
                insert into wave_cohort (rollout_id, wave, cohort, devices, tenant_id) values (?1, ?2, ?3, 1, ?4)
                on conflict (rollout_id, wave, cohort) do update set devices = wave_cohort.devices + 1""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, cohort).setParameter(4, tenant)
                .executeUpdate();
        entityManager.createNativeQuery("""
                insert into rollout_cohort (rollout_id, cohort, device_count, state, tenant_id)
                values (?1, ?2, 1, 'ACTIVE', ?3)
                on conflict (rollout_id, cohort) do update set device_count = rollout_cohort.device_count + 1""")
                .setParameter(1, rolloutId).setParameter(2, cohort).setParameter(3, tenant).executeUpdate();
        return true;
    }

    /** The install action of a device that joined a wave already started; empty if it has one already. */
    public Optional<DeviceAction> scheduleInstall(String rolloutId, String deviceId, int wave, String cohort,
            String releaseId, String version) {
        @SuppressWarnings("unchecked")
        List<Object> ids = entityManager.createNativeQuery("""
                insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                           rollback, state, created_at, updated_at, tenant_id)
                values (nextval('action_id_seq'), ?1, ?2, ?3, ?4, ?5, ?6, false, 'SCHEDULED', now(), now(), ?7)
                on conflict do nothing
                returning action_id""")
                .setParameter(1, rolloutId).setParameter(2, deviceId).setParameter(3, wave).setParameter(4, cohort)
                .setParameter(5, releaseId).setParameter(6, version).setParameter(7, tenants.current())
                .getResultList();
        return ids.stream().findFirst().map(id -> new DeviceAction(((Number) id).longValue(), rolloutId, deviceId,
                wave, cohort, releaseId, version, false, io.updraft.rollout.domain.ActionState.SCHEDULED));
    }
}
