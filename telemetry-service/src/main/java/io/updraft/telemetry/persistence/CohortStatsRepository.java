package io.updraft.telemetry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.domain.CohortStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters change only by single-statement upserts ({@code x = cohort_stats.x + 1}): concurrent reports from many
 * devices and replicas add up without lost updates, and the row lock orders them. A consumer's polled batch gathers
 * its changes ({@link #gathered}) and writes one upsert per cohort at its end, in key order: a wave's reports all
 * land on a handful of rows, and an upsert per report made those rows the database's hottest spot (in the
 * 100,000-device run 64 % of PostgreSQL's execution time, 3-7 ms per upsert, with the two consumers' batches waiting
 * on each other's row locks).
 */
@ApplicationScoped
public class CohortStatsRepository implements PanacheRepositoryBase<CohortStats, CohortKey> {
    private static final Comparator<CohortKey> KEY_ORDER = Comparator.comparing((CohortKey k) -> k.tenantId)
            .thenComparing(k -> k.rolloutId).thenComparing(k -> k.cohort);

    /** One cohort's changes gathered over a batch. */
    static final class Counts {
        long succeeded;
        long failed;
        long healthReports;
        long unhealthyReports;
        long crashes;
        Instant firstReportAt;
        Instant lastActivityAt;

        void install(boolean ok, Instant reportedAt, Instant now) {
            if (ok) {
                succeeded++;
            } else {
                failed++;
            }
            firstReportAt = firstReportAt == null || reportedAt.isBefore(firstReportAt) ? reportedAt : firstReportAt;
            touched(now);
        }

        void health(boolean unhealthy, int crashCount, Instant now) {
            healthReports++;
            unhealthyReports += unhealthy ? 1 : 0;
            crashes += crashCount;
            touched(now);
        }

        private void touched(Instant now) {
            lastActivityAt = lastActivityAt == null || now.isAfter(lastActivityAt) ? now : lastActivityAt;
        }
    }

    private final ThreadLocal<Map<CohortKey, Counts>> gathering = new ThreadLocal<>();

    /**
     * Runs {@code work} (in the caller's transaction) with the counter changes it makes on this thread gathered, then
     * writes them: one upsert per cohort, in key order, so that two batches lock the rows in one order and hold them
     * only from here to their commit. If {@code work} throws nothing is written. Nested calls gather into the outer.
     */
    @Transactional(TxType.MANDATORY)
    public void gathered(Runnable work) {
        if (gathering.get() != null) {
            work.run();
            return;
        }
        Map<CohortKey, Counts> counts = new TreeMap<>(KEY_ORDER);
        gathering.set(counts);
        try {
            work.run();
        } finally {
            gathering.remove();
        }
        counts.forEach(this::add);
    }

    private void add(CohortKey key, Counts counts) {
        getEntityManager().createNativeQuery("""
                insert into cohort_stats (rollout_id, cohort, succeeded, failed, first_report_at, health_reports,
                    unhealthy_reports, crashes, last_activity_at, tenant_id)
                values (?1, ?2, ?3, ?4, case when ?11 then cast(?5 as timestamptz) end, ?6, ?7, ?8, ?9, ?10)
                on conflict (tenant_id, rollout_id, cohort) do update set
                    succeeded = cohort_stats.succeeded + excluded.succeeded,
                    failed = cohort_stats.failed + excluded.failed,
                    first_report_at = least(cohort_stats.first_report_at, excluded.first_report_at),
                    health_reports = cohort_stats.health_reports + excluded.health_reports,
                    unhealthy_reports = cohort_stats.unhealthy_reports + excluded.unhealthy_reports,
                    crashes = cohort_stats.crashes + excluded.crashes,
                    last_activity_at = excluded.last_activity_at
                """)
                .setParameter(1, key.rolloutId)
                .setParameter(2, key.cohort)
                .setParameter(3, counts.succeeded)
                .setParameter(4, counts.failed)
                // never a null parameter: Hibernate cannot type one in a native query; ?11 says whether it counts
                .setParameter(5, counts.firstReportAt != null ? counts.firstReportAt : counts.lastActivityAt)
                .setParameter(6, counts.healthReports)
                .setParameter(7, counts.unhealthyReports)
                .setParameter(8, counts.crashes)
                .setParameter(9, counts.lastActivityAt)
                .setParameter(10, key.tenantId)
                .setParameter(11, counts.firstReportAt != null)
                .executeUpdate();
    }

    private Counts gathering(CohortKey key) {
        Map<CohortKey, Counts> counts = gathering.get();
        return counts == null ? null : counts.computeIfAbsent(key, k -> new Counts());
    }

    @Transactional(TxType.MANDATORY)
    public void countInstall(CohortKey key, boolean succeeded, Instant reportedAt, Instant now) {
        Counts gathered = gathering(key);
        if (gathered != null) {
            gathered.install(succeeded, reportedAt, now);
            return;
        }
        getEntityManager().createNativeQuery("""
                insert into cohort_stats (rollout_id, cohort, succeeded, failed, first_report_at, last_activity_at,
                    tenant_id)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                on conflict (tenant_id, rollout_id, cohort) do update set
                    succeeded = cohort_stats.succeeded + excluded.succeeded,
                    failed = cohort_stats.failed + excluded.failed,
                    first_report_at = least(cohort_stats.first_report_at, excluded.first_report_at),
                    last_activity_at = excluded.last_activity_at
                """)
                .setParameter(1, key.rolloutId)
                .setParameter(2, key.cohort)
                .setParameter(3, succeeded ? 1 : 0)
                .setParameter(4, succeeded ? 0 : 1)
                .setParameter(5, reportedAt)
                .setParameter(6, now)
                .setParameter(7, key.tenantId)
                .executeUpdate();
    }

    /** The cohorts RolloutCreated names show up (with zeros) before their first report. */
    @Transactional(TxType.MANDATORY)
    public void ensureCohorts(String tenant, String rolloutId, Collection<String> cohorts) {
        for (String cohort : cohorts) {
            getEntityManager().createNativeQuery("""
                    insert into cohort_stats (tenant_id, rollout_id, cohort) values (?1, ?2, ?3) on conflict do nothing
                    """)
                    .setParameter(1, tenant)
                    .setParameter(2, rolloutId)
                    .setParameter(3, cohort)
                    .executeUpdate();
        }
    }

    @Transactional(TxType.MANDATORY)
    public void countHealth(CohortKey key, boolean unhealthy, int crashes, Instant now) {
        Counts gathered = gathering(key);
        if (gathered != null) {
            gathered.health(unhealthy, crashes, now);
            return;
        }
        getEntityManager().createNativeQuery("""
                insert into cohort_stats (rollout_id, cohort, health_reports, unhealthy_reports, crashes,
                    last_activity_at, tenant_id)
                values (?1, ?2, 1, ?3, ?4, ?5, ?6)
                on conflict (tenant_id, rollout_id, cohort) do update set
                    health_reports = cohort_stats.health_reports + 1,
                    unhealthy_reports = cohort_stats.unhealthy_reports + excluded.unhealthy_reports,
                    crashes = cohort_stats.crashes + excluded.crashes,
                    last_activity_at = excluded.last_activity_at
                """)
                .setParameter(1, key.rolloutId)
                .setParameter(2, key.cohort)
                .setParameter(3, unhealthy ? 1 : 0)
                .setParameter(4, crashes)
                .setParameter(5, now)
                .setParameter(6, key.tenantId)
                .executeUpdate();
    }

    @Transactional(TxType.MANDATORY)
    public void markRolledBack(CohortKey key, Instant now) {
        getEntityManager().createNativeQuery("""
                insert into cohort_stats (tenant_id, rollout_id, cohort, rolled_back, last_activity_at)
                values (?1, ?2, ?3, true, ?4)
                on conflict (tenant_id, rollout_id, cohort) do update
                set rolled_back = true, last_activity_at = excluded.last_activity_at
                """)
                .setParameter(1, key.tenantId)
                .setParameter(2, key.rolloutId)
                .setParameter(3, key.cohort)
                .setParameter(4, now)
                .executeUpdate();
    }

    public List<CohortStats> ofRollout(String tenant, String rolloutId) {
        return list("id.tenantId = ?1 and id.rolloutId = ?2", Sort.by("id.cohort"), tenant, rolloutId);
    }

    /**
     * Cohorts of unfinished rollouts with at least one install, of every tenant (each row names its own): what the
     * failure-rate gauge shows.
     */
    public List<CohortStats> ofUnfinishedRollouts(int limit) {
        return find("""
                from CohortStats c where c.succeeded + c.failed > 0
                and exists (from Rollout r where r.tenantId = c.id.tenantId and r.rolloutId = c.id.rolloutId
                            and r.finishedAt is null)
                """).page(0, limit).list();
    }
}
