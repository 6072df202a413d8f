package io.updraft.telemetry.persistence;

import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.support.persistence.SqlValues;
import io.updraft.telemetry.domain.HealthPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.util.List;

/** Each closed health window's cohort figures: the dashboard's charts over time. */
@ApplicationScoped
public class HealthPointRepository {
    @Inject
    EntityManager entityManager;

    @Transactional(TxType.MANDATORY)
    public void record(String tenant, HealthWindowClosed window) {
        for (CohortHealth cohort : window.cohorts()) {
            entityManager.createNativeQuery("""
                    insert into health_point (rollout_id, cohort, window_end, succeeded, failed, failure_rate,
                        health_reports, unhealthy_reports, crashes, tenant_id)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) on conflict do nothing
                    """)
                    .setParameter(1, window.rolloutId())
                    .setParameter(2, cohort.cohort())
                    .setParameter(3, window.windowEnd())
                    .setParameter(4, cohort.succeeded())
                    .setParameter(5, cohort.failed())
                    .setParameter(6, cohort.failureRate())
                    .setParameter(7, cohort.healthReports())
                    .setParameter(8, cohort.unhealthyReports())
                    .setParameter(9, cohort.crashes())
                    .setParameter(10, tenant)
                    .executeUpdate();
        }
    }

    /** The last {@code limit} points of every cohort of the rollout, oldest first. */
    public List<HealthPoint> lastOf(String tenant, String rolloutId, int limit) {
        List<?> rows = entityManager.createNativeQuery("""
                select cohort, window_end, succeeded, failed, failure_rate, health_reports, unhealthy_reports, crashes
                from (select p.*, row_number() over (partition by cohort order by window_end desc) as age
                      from health_point p where tenant_id = ?1 and rollout_id = ?2) recent
                where age <= ?3 order by cohort, window_end
                """)
                .setParameter(1, tenant)
                .setParameter(2, rolloutId)
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(r -> new HealthPoint((String) r[0], SqlValues.instant(r[1]), SqlValues.number(r[2]),
                        SqlValues.number(r[3]), ((Number) r[4]).doubleValue(), SqlValues.number(r[5]),
                        SqlValues.number(r[6]), SqlValues.number(r[7])))
                .toList();
    }
}
