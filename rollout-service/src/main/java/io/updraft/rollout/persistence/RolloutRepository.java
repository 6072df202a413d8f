package io.updraft.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutState;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollouts of the current tenant ({@link Tenants#current()}, ADR 0021): another tenant's rollout is not found, as an
 * unknown one. Only the wave gate's hints ({@link #soaked}, {@link #timedOut}, {@link #due}) are platform-wide: they
 * answer each rollout with its tenant, and the gate decides about it as that tenant.
 */
@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, String> {
    @Inject
    Tenants tenants;

    /** A rollout a platform-wide query found, with the tenant it belongs to. */
    public record TenantRollout(String tenant, String rolloutId) {
    }

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
        return find("id = ?1 and tenantId = ?2", id, tenants.current()).withLock(LockModeType.PESSIMISTIC_WRITE)
                .singleResultOptional();
    }

    /** The current tenant's rollout, read without a lock. */
    public Optional<Rollout> findOfTenant(String id) {
        return find("id = ?1 and tenantId = ?2", id, tenants.current()).singleResultOptional();
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
                + " where v.tenant_id = r.tenant_id and v.rollout_id = r.id and v.wave = r.current_wave"
                + " and (v.breach is not null"
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
            "rollout r join rollout_wave w on w.tenant_id = r.tenant_id and w.rollout_id = r.id"
                    + " and w.wave = r.current_wave";

    /** Rollouts whose current wave finished soaking, of every tenant (a hint; {@link #lockIfSoaked} decides). */
    public List<TenantRollout> soaked(int limit) {
        return due(Due.SOAKED, limit);
    }

    /** Locks the rollout if it is running and its current wave finished soaking. */
    public Optional<Rollout> lockIfSoaked(String id) {
        return lockIf(Due.SOAKED, id);
    }

    /** Rollouts of every tenant whose current wave is running past its timeout (a hint; {@link #lockIfTimedOut}). */
    public List<TenantRollout> timedOut(int limit) {
        return due(Due.TIMED_OUT, limit);
    }

    /** Locks the rollout if its current wave is still running past its timeout. */
    public Optional<Rollout> lockIfTimedOut(String id) {
        return lockIf(Due.TIMED_OUT, id);
    }

    /** SCHEDULED rollouts of every tenant whose start time has come (a hint; {@link #lockIfDue} decides). */
    public List<TenantRollout> due(int limit) {
        return due(Due.STARTING, limit);
    }

    /** Locks the rollout if it is SCHEDULED and due (an abort holding the row makes it skip). */
    public Optional<Rollout> lockIfDue(String id) {
        return lockIf(Due.STARTING, id);
    }

    /** Platform-wide on purpose: the gate's tick serves every tenant, each rollout then in its own. */
    private List<TenantRollout> due(Due due, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("select r.tenant_id, r.id from " + due.from
                + " where " + due.condition + " order by " + due.order + " limit ?1")
                .setParameter(1, limit)
                .getResultList();
        return rows.stream().map(row -> new TenantRollout((String) row[0], (String) row[1])).toList();
    }

    private Optional<Rollout> lockIf(Due due, String id) {
        @SuppressWarnings("unchecked")
        List<String> ids = getEntityManager().createNativeQuery("select r.id from " + due.from
                + " where r.id = ?1 and r.tenant_id = ?2 and " + due.condition + " for update of r skip locked")
                .setParameter(1, id)
                .setParameter(2, tenants.current())
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : findOfTenant(id);
    }

    /** The first key of the advisory lock that serialises the in-flight decisions of a tenant ("RIFL"). */
    private static final int IN_FLIGHT_LOCK = 0x5249464c;

    /**
     * Serialises, until the transaction ends, every decision that would put one more of the current tenant's rollouts
     * in flight (a transaction-scoped advisory lock on the tenant: its quota, ADR 0021 decision 5). A statement after
     * it sees every such decision committed before; two tenants whose ids hash alike merely wait for each other.
     */
    public void lockInFlight() {
        getEntityManager().createNativeQuery(
                "select count(*) from (select pg_advisory_xact_lock(?1, hashtext(?2))) l")
                .setParameter(1, IN_FLIGHT_LOCK)
                .setParameter(2, tenants.current())
                .getSingleResult();
    }

    /** The current tenant's rollouts in flight ({@link RolloutState#isInFlight}). */
    public long countInFlight() {
        return ((Number) getEntityManager().createNativeQuery(
                "select count(*) from rollout where tenant_id = ?1 and state in (?2)")
                .setParameter(1, tenants.current())
                .setParameter(2, RolloutState.inFlightNames())
                .getSingleResult()).longValue();
    }

    /** Unfinished (SCHEDULED, RUNNING, WAITING_FOR_APPROVAL or PAUSED) rollouts of a release, oldest first. */
    @SuppressWarnings("unchecked")
    public List<String> activeOfRelease(String releaseId) {
        return getEntityManager().createNativeQuery("""
                select id from rollout where tenant_id = ?2 and release_id = ?1
                    and state in ('SCHEDULED', 'RUNNING', 'WAITING_FOR_APPROVAL', 'PAUSED')
                order by created_at, id""")
                .setParameter(1, releaseId)
                .setParameter(2, tenants.current())
                .getResultList();
    }

    /**
     * Newest first (ties by id, descending), optionally of one name and/or one release, after the rollout
     * {@code (afterCreatedAt, afterId)} when given: a keyset page that costs the same on any page (of a release: along
     * the index {@code rollout_release_created}, V61).
     */
    public List<Rollout> newestFirst(String name, String releaseId, Instant afterCreatedAt, String afterId, int limit) {
        StringBuilder query = new StringBuilder("from Rollout r where r.tenantId = :tenant");
        Map<String, Object> params = new HashMap<>();
        params.put("tenant", tenants.current());
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
