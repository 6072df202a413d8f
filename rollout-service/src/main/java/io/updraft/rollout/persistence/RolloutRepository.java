package io.updraft.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.rollout.domain.Rollout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, String> {

    /**
     * Writes what the transaction changed and empties its persistence context, so the next read loads from the
     * database as a request after a commit does (the start-up rehearsal reads its rollout back this way).
     */
    public void flushAndForget() {
        flush();
        getEntityManager().clear();
    }

    /** Locks the rollout row for the rest of the transaction: the one place decisions about it are serialised. */
    public Optional<Rollout> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * What the wave gate looks for: rollouts in a state whose time has come. The list is a hint for the tick; the
     * lock re-checks the condition under {@code FOR UPDATE SKIP LOCKED}, so replicas never decide about the same
     * rollout at once and a rollout another transaction just moved on is skipped.
     */
    private enum Due {
        /**
         * running, and the current wave finished soaking — unless its health gate still waits for a window that ended
         * after the soak began (such waves are left out here, so fifty of them cannot crowd out every other rollout of
         * a tick; the window's arrival makes the wave show up again)
         */
        SOAKED(CURRENT_WAVE, "r.state = 'RUNNING' and w.state = 'SOAKING' and w.soak_until <= now()"
                + " and (not r.gate_require_window or exists (select 1 from health_gate_verdict v"
                + " where v.rollout_id = r.id and v.wave = r.current_wave and (v.breach is not null"
                + " or v.window_end > w.soak_until - r.soak_time_ms * interval '1 millisecond')))", "w.soak_until"),
        /** running, and the current wave is still running past its timeout */
        TIMED_OUT(CURRENT_WAVE, "r.state = 'RUNNING' and w.state = 'RUNNING' and w.timeout_at <= now()",
                "w.timeout_at"),
        /** SCHEDULED, and its start time has come */
        STARTING("rollout r", "r.state = 'SCHEDULED' and r.start_at <= now()", "r.start_at");

        final String from;
        final String condition;
        final String order;

        Due(String from, String condition, String order) {
            this.from = from;
            this.condition = condition;
            this.order = order;
        }
    }

    private static final String CURRENT_WAVE =
            "rollout r join rollout_wave w on w.rollout_id = r.id and w.wave = r.current_wave";

    /** Rollouts whose current wave finished soaking (a hint; {@link #lockIfSoaked} decides). */
    public List<String> soaked(int limit) {
        return due(Due.SOAKED, limit);
    }

    /** Locks the rollout if it is running and its current wave finished soaking. */
    public Optional<Rollout> lockIfSoaked(String id) {
        return lockIf(Due.SOAKED, id);
    }

    /** Rollouts whose current wave is still running past its timeout (a hint; {@link #lockIfTimedOut} decides). */
    public List<String> timedOut(int limit) {
        return due(Due.TIMED_OUT, limit);
    }

    /** Locks the rollout if its current wave is still running past its timeout. */
    public Optional<Rollout> lockIfTimedOut(String id) {
        return lockIf(Due.TIMED_OUT, id);
    }

    /** SCHEDULED rollouts whose start time has come (a hint; {@link #lockIfDue} decides). */
    public List<String> due(int limit) {
        return due(Due.STARTING, limit);
    }

    /** Locks the rollout if it is SCHEDULED and due (an abort holding the row makes it skip). */
    public Optional<Rollout> lockIfDue(String id) {
        return lockIf(Due.STARTING, id);
    }

    @SuppressWarnings("unchecked")
    private List<String> due(Due due, int limit) {
        return getEntityManager().createNativeQuery("select r.id from " + due.from + " where " + due.condition
                + " order by " + due.order + " limit ?1")
                .setParameter(1, limit)
                .getResultList();
    }

    private Optional<Rollout> lockIf(Due due, String id) {
        @SuppressWarnings("unchecked")
        List<String> ids = getEntityManager().createNativeQuery("select r.id from " + due.from + " where r.id = ?1 and "
                + due.condition + " for update of r skip locked")
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

    /**
     * Newest first (ties by id, descending), optionally of one name and/or one release, after the rollout
     * {@code (afterCreatedAt, afterId)} when given: a keyset page that costs the same on any page (of a release: along
     * the index {@code rollout_release_created}, V61).
     */
    public List<Rollout> newestFirst(String name, String releaseId, Instant afterCreatedAt, String afterId, int limit) {
        StringBuilder query = new StringBuilder("from Rollout r where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (name != null) {
            query.append(" and r.name = :name");
            params.put("name", name);
        }
        if (releaseId != null) {
            query.append(" and r.releaseId = :releaseId");
            params.put("releaseId", releaseId);
        }
        if (afterCreatedAt != null) {
            query.append(" and (r.createdAt < :at or (r.createdAt = :at and r.id < :id))");
            params.put("at", afterCreatedAt);
            params.put("id", afterId);
        }
        query.append(" order by r.createdAt desc, r.id desc");
        return find(query.toString(), params).page(0, limit).list();
    }
}
