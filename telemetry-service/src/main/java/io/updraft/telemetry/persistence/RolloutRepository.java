package io.updraft.telemetry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.support.persistence.SqlValues;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.domain.WindowDue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, String> {
    /** Arbitrary, fixed: the advisory lock that lets one replica at a time close health windows. */
    private static final long WINDOW_LOCK = 0x74656c656d657472L;

    /** Reports may arrive before RolloutCreated: the rollout exists from its first report on. */
    @Transactional(TxType.MANDATORY)
    public void ensureKnown(String rolloutId, Instant now) {
        getEntityManager().createNativeQuery(
                "insert into rollout (rollout_id, created_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, rolloutId)
                .setParameter(2, now)
                .executeUpdate();
    }

    /** Takes the row lock that waits out every report judged under the previous (default) policy. */
    @Transactional(TxType.MANDATORY)
    public void storePolicy(String rolloutId, RollbackRule rule, Instant now) {
        getEntityManager().createNativeQuery("""
                insert into rollout (rollout_id, failure_rate_threshold, min_sample_size, created_at)
                values (?1, ?2, ?3, ?4)
                on conflict (rollout_id) do update
                set failure_rate_threshold = excluded.failure_rate_threshold, min_sample_size = excluded.min_sample_size
                """)
                .setParameter(1, rolloutId)
                .setParameter(2, rule.failureRateThreshold())
                .setParameter(3, rule.minSampleSize())
                .setParameter(4, now)
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void markFinished(String rolloutId, Instant now) {
        getEntityManager().createNativeQuery("""
                insert into rollout (rollout_id, created_at, finished_at) values (?1, ?2, ?2)
                on conflict (rollout_id) do update set finished_at = coalesce(rollout.finished_at, excluded.finished_at)
                """)
                .setParameter(1, rolloutId)
                .setParameter(2, now)
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
     * Rollouts still running, plus finished ones that have not had their last window since they finished or saw
     * late activity; none whose previous window ended after {@code notAfter} (a second replica must not close a
     * window right after the first).
     */
    @Transactional(TxType.MANDATORY)
    public List<WindowDue> dueForWindow(Instant notAfter, int limit) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select r.rollout_id, coalesce(w.last_window_end, r.created_at), r.finished_at is not null
                from rollout r left join health_window w on w.rollout_id = r.rollout_id
                where (w.last_window_end is null or w.last_window_end <= ?1)
                  and (r.finished_at is null
                       or w.last_window_end is null
                       or w.last_window_end < r.finished_at
                       or exists (select 1 from cohort_stats c
                                  where c.rollout_id = r.rollout_id and c.last_activity_at > w.last_window_end))
                order by coalesce(w.last_window_end, r.created_at)
                limit ?2
                """)
                .setParameter(1, notAfter)
                .setParameter(2, limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new WindowDue((String) row[0], SqlValues.instant(row[1]), (Boolean) row[2]))
                .toList();
    }

    @Transactional(TxType.MANDATORY)
    public void windowClosed(String rolloutId, Instant windowEnd) {
        getEntityManager().createNativeQuery("""
                insert into health_window (rollout_id, last_window_end) values (?1, ?2)
                on conflict (rollout_id) do update set last_window_end = excluded.last_window_end
                """)
                .setParameter(1, rolloutId)
                .setParameter(2, windowEnd)
                .executeUpdate();
    }

    /** What the dashboard shows of the rollout; the row may exist already from an earlier report. */
    @Transactional(TxType.MANDATORY)
    public void describe(RolloutCreated created, Instant now) {
        getEntityManager().createNativeQuery("""
                update rollout set name = ?2, version = ?3, wave_count = ?4, device_count = ?5 where rollout_id = ?1
                """)
                .setParameter(1, created.rolloutId())
                .setParameter(2, created.name())
                .setParameter(3, created.version())
                .setParameter(4, created.waveCount())
                .setParameter(5, created.deviceCount())
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void waveStarted(String rolloutId, int wave, Instant now) {
        ensureKnown(rolloutId, now);
        getEntityManager().createNativeQuery(
                "update rollout set current_wave = greatest(coalesce(current_wave, 0), ?2) where rollout_id = ?1")
                .setParameter(1, rolloutId)
                .setParameter(2, wave)
                .executeUpdate();
    }

    /** RUNNING, PAUSED, COMPLETED or ABORTED; a finished rollout stays finished. */
    @Transactional(TxType.MANDATORY)
    public void changeState(String rolloutId, String state, String reason, Instant now) {
        ensureKnown(rolloutId, now);
        getEntityManager().createNativeQuery("""
                update rollout set state = ?2, state_reason = ?3
                where rollout_id = ?1 and state not in ('COMPLETED', 'ABORTED')
                """)
                .setParameter(1, rolloutId)
                .setParameter(2, state)
                .setParameter(3, reason)
                .executeUpdate();
    }

    /** The most recently created rollouts, newest first. */
    public List<Rollout> latest(int limit) {
        return find("order by createdAt desc").page(0, limit).list();
    }

    /** Rollouts that have not completed or been aborted, at most {@code limit}. */
    public java.util.Set<String> unfinishedIds(int limit) {
        return find("finishedAt is null").page(0, limit).stream().map(r -> r.rolloutId)
                .collect(java.util.stream.Collectors.toSet());
    }
}
