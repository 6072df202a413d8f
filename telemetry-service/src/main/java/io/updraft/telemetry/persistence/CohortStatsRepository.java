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
import java.util.List;

/**
 * Counters change only by single-statement upserts ({@code x = cohort_stats.x + 1}): concurrent reports from many
 * devices and replicas add up without lost updates, and the row lock orders them.
 */
@ApplicationScoped
public class CohortStatsRepository implements PanacheRepositoryBase<CohortStats, CohortKey> {

    @Transactional(TxType.MANDATORY)
    public void countInstall(CohortKey key, boolean succeeded, Instant reportedAt, Instant now) {
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
