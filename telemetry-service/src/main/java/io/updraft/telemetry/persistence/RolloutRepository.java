package io.updraft.telemetry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.TenantIds;
import io.updraft.support.persistence.SqlValues;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.domain.WindowDue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Rollouts per tenant (ADR 0021): every statement names the tenant; the window job's read each row's. */
@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, Rollout.Key> {
    /** Arbitrary, fixed: the advisory lock that lets one replica at a time close health windows. */
    private static final long WINDOW_LOCK = 0x74656c656d657472L;

    /** Reports may arrive before RolloutCreated: the rollout exists from its first report on. */
    @Transactional(TxType.MANDATORY)
    public void ensureKnown(String tenant, String rolloutId, Instant now) {
        getEntityManager().createNativeQuery(
                "insert into rollout (tenant_id, rollout_id, created_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, now)
                .executeUpdate();
    }

    /** Takes the row lock that waits out every report judged under the previous (default) policy. */
    @Transactional(TxType.MANDATORY)
    public void storePolicy(String tenant, String rolloutId, RollbackRule rule, Instant now) {
        getEntityManager().createNativeQuery("""
                insert into rollout (tenant_id, rollout_id, failure_rate_threshold, min_sample_size, created_at)
                values (?1, ?2, ?3, ?4, ?5)
                on conflict (tenant_id, rollout_id) do update
                set failure_rate_threshold = excluded.failure_rate_threshold, min_sample_size = excluded.min_sample_size
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, rule.failureRateThreshold())
                .setParameter(4, rule.minSampleSize())
                .setParameter(5, now)
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void markFinished(String tenant, String rolloutId, Instant now) {
        getEntityManager().createNativeQuery("""
                insert into rollout (tenant_id, rollout_id, created_at, finished_at) values (?1, ?2, ?3, ?3)
                on conflict (tenant_id, rollout_id)
                do update set finished_at = coalesce(rollout.finished_at, excluded.finished_at)
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, now)
                .executeUpdate();
    }

    /** @return false while another replica is closing windows (the lock ends with the transaction) */
    @Transactional(TxType.MANDATORY)
    public boolean tryWindowLock() {
        return (Boolean) getEntityManager().createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, WINDOW_LOCK)
                .getSingleResult();
    }

    /**
     * Rollouts of every tenant still running, plus finished ones that have not had their last window since they
     * finished or saw late activity; none whose previous window ended after {@code notAfter} (a second replica must
     * not close a window right after the first). Each names its tenant.
     */
    @Transactional(TxType.MANDATORY)
    public List<WindowDue> dueForWindow(Instant notAfter, int limit) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select r.tenant_id, r.rollout_id, coalesce(w.last_window_end, r.created_at), r.finished_at is not null
                from rollout r left join health_window w on w.tenant_id = r.tenant_id and w.rollout_id = r.rollout_id
                where (w.last_window_end is null or w.last_window_end <= ?1)
                  and (r.finished_at is null
                       or w.last_window_end is null
                       or w.last_window_end < r.finished_at
                       or exists (select 1 from cohort_stats c
                                  where c.tenant_id = r.tenant_id and c.rollout_id = r.rollout_id
                                    and c.last_activity_at > w.last_window_end))
                order by coalesce(w.last_window_end, r.created_at)
                limit ?2
                """)
                .setParameter(1, notAfter)
                .setParameter(2, limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new WindowDue((String) row[0], (String) row[1], SqlValues.instant(row[2]),
                        (Boolean) row[3]))
                .toList();
    }

    @Transactional(TxType.MANDATORY)
    public void windowClosed(String tenant, String rolloutId, Instant windowEnd) {
        getEntityManager().createNativeQuery("""
                insert into health_window (tenant_id, rollout_id, last_window_end) values (?1, ?2, ?3)
                on conflict (tenant_id, rollout_id) do update set last_window_end = excluded.last_window_end
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, windowEnd)
                .executeUpdate();
    }

    /** What the dashboard shows of the rollout; the row may exist already from an earlier report. */
    @Transactional(TxType.MANDATORY)
    public void describe(String tenant, RolloutCreated created, Instant now) {
        getEntityManager().createNativeQuery("""
                update rollout set name = ?3, version = ?4, wave_count = ?5, device_count = ?6
                where tenant_id = ?1 and rollout_id = ?2
                """)
                .setParameter(1, tenant)
                .setParameter(2, created.rolloutId())
                .setParameter(3, created.name())
                .setParameter(4, created.version())
                .setParameter(5, created.waveCount())
                .setParameter(6, created.deviceCount())
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void waveStarted(String tenant, String rolloutId, int wave, Instant now) {
        ensureKnown(tenant, rolloutId, now);
        getEntityManager().createNativeQuery("""
                update rollout set current_wave = greatest(coalesce(current_wave, 0), ?3)
                where tenant_id = ?1 and rollout_id = ?2
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, wave)
                .executeUpdate();
    }

    /** RUNNING, PAUSED, COMPLETED or ABORTED; a finished rollout stays finished. */
    @Transactional(TxType.MANDATORY)
    public void changeState(String tenant, String rolloutId, String state, String reason, Instant now) {
        ensureKnown(tenant, rolloutId, now);
        getEntityManager().createNativeQuery("""
                update rollout set state = ?3, state_reason = ?4
                where tenant_id = ?1 and rollout_id = ?2 and state not in ('COMPLETED', 'ABORTED')
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, state)
                .setParameter(4, reason)
                .executeUpdate();
    }

    public Optional<Rollout> byId(String tenant, String rolloutId) {
        return findByIdOptional(new Rollout.Key(tenant, rolloutId));
    }

    /** The tenant's most recently created rollouts, newest first. */
    public List<Rollout> latest(String tenant, int limit) {
        return find("tenantId = ?1 order by createdAt desc", tenant).page(0, limit).list();
    }

    /**
     * Rollouts of every tenant that have not completed or been aborted, at most {@code limit}, each as the health
     * topology keys it: {@link TenantIds#recordKey} of its tenant and id (DEFAULT's: the bare id).
     */
    public Set<String> unfinishedKeys(int limit) {
        return find("finishedAt is null").page(0, limit).stream()
                .map(r -> TenantIds.recordKey(r.tenantId, r.rolloutId))
                .collect(Collectors.toSet());
    }
}
