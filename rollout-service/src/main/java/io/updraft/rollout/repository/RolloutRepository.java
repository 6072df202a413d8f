package io.updraft.rollout.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, String> {

    /** Locks the rollout row for the rest of the transaction: the one place decisions about it are serialised. */
    public Optional<Rollout> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks the rollout if it is running and its current wave finished soaking, skipping rows another replica holds.
     */
    public Optional<Rollout> lockIfSoaked(String id) {
        @SuppressWarnings("unchecked")
        List<String> ids = getEntityManager().createNativeQuery("""
                select r.id from rollout r
                join rollout_wave w on w.rollout_id = r.id and w.wave = r.current_wave
                where r.id = ?1 and r.state = 'RUNNING' and w.state = 'SOAKING' and w.soak_until <= now()
                for update of r skip locked""")
                .setParameter(1, id)
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : findByIdOptional(id);
    }

    /** Rollouts whose current wave finished soaking (a hint; {@link #lockIfSoaked} decides). */
    @SuppressWarnings("unchecked")
    public List<String> soaked(int limit) {
        return getEntityManager().createNativeQuery("""
                select r.id from rollout r
                join rollout_wave w on w.rollout_id = r.id and w.wave = r.current_wave
                where r.state = 'RUNNING' and w.state = 'SOAKING' and w.soak_until <= now()
                order by w.soak_until limit ?1""")
                .setParameter(1, limit)
                .getResultList();
    }

    /** Rollouts whose current wave is still running past its timeout (a hint; {@link #lockIfTimedOut} decides). */
    @SuppressWarnings("unchecked")
    public List<String> timedOut(int limit) {
        return getEntityManager().createNativeQuery("""
                select r.id from rollout r
                join rollout_wave w on w.rollout_id = r.id and w.wave = r.current_wave
                where r.state = 'RUNNING' and w.state = 'RUNNING' and w.timeout_at <= now()
                order by w.timeout_at limit ?1""")
                .setParameter(1, limit)
                .getResultList();
    }

    /** Locks the rollout if its current wave is still running past its timeout, skipping rows another replica holds. */
    public Optional<Rollout> lockIfTimedOut(String id) {
        @SuppressWarnings("unchecked")
        List<String> ids = getEntityManager().createNativeQuery("""
                select r.id from rollout r
                join rollout_wave w on w.rollout_id = r.id and w.wave = r.current_wave
                where r.id = ?1 and r.state = 'RUNNING' and w.state = 'RUNNING' and w.timeout_at <= now()
                for update of r skip locked""")
                .setParameter(1, id)
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : findByIdOptional(id);
    }

    /** SCHEDULED rollouts whose start time has come (a hint; {@link #lockIfDue} decides). */
    @SuppressWarnings("unchecked")
    public List<String> due(int limit) {
        return getEntityManager().createNativeQuery("""
                select id from rollout where state = 'SCHEDULED' and start_at <= now() order by start_at limit ?1""")
                .setParameter(1, limit)
                .getResultList();
    }

    /** Locks the rollout if it is SCHEDULED and due, skipping a row another replica (or an abort) holds. */
    public Optional<Rollout> lockIfDue(String id) {
        @SuppressWarnings("unchecked")
        List<String> ids = getEntityManager().createNativeQuery("""
                select id from rollout where id = ?1 and state = 'SCHEDULED' and start_at <= now()
                for update skip locked""")
                .setParameter(1, id)
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : findByIdOptional(id);
    }

    /** Unfinished (SCHEDULED, RUNNING, WAITING_FOR_APPROVAL or PAUSED) rollouts of a release, oldest first. */
    @SuppressWarnings("unchecked")
    public List<String> activeOfRelease(String releaseId) {
        return getEntityManager().createNativeQuery("""
                select id from rollout where release_id = ?1 and state in ('SCHEDULED', 'RUNNING', 'WAITING_FOR_APPROVAL', 'PAUSED')
                order by created_at, id""")
                .setParameter(1, releaseId)
                .getResultList();
    }

    public List<Rollout> newestFirst() {
        return find("order by createdAt desc").list();
    }
}
