package io.updraft.rollout.persistence;

import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.rollout.domain.HealthBounds.CohortFigures;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the health gate keeps of telemetry's windows (V51): each cohort's latest cumulative figures, the figures a
 * wave started from, and the verdict of the last window per wave. Read and written under the rollout row lock.
 */
@ApplicationScoped
public class HealthGateWindows {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /**
     * @param windowEnd end of the last window judged for the wave
     * @param breach the first bound the wave broke (kept once broken), or null while within bounds
     */
    public record Verdict(Instant windowEnd, String breach) {
    }

    /** True if the rollout exists and has a health gate (read without taking its lock). */
    public boolean gated(String rolloutId) {
        return !entityManager.createNativeQuery("""
                select 1 from rollout where id = ?1 and tenant_id = ?2 and (gate_max_failure_rate is not null
                    or gate_max_unhealthy_ratio is not null or gate_max_crashes_per_report is not null
                    or gate_require_window)""")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList().isEmpty();
    }

    /** End of the newest window stored for the rollout, if any. */
    public Optional<Instant> lastWindowEnd(String rolloutId) {
        Object end = entityManager.createNativeQuery(
                "select max(window_end) from health_gate_figures where rollout_id = ?1 and tenant_id = ?2")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getSingleResult();
        return Optional.ofNullable(instant(end));
    }

    /** When the wave started: its timeout is set to start + the rollout's wave timeout when it starts. */
    public Optional<Instant> waveStart(String rolloutId, int wave, long waveTimeoutMillis) {
        @SuppressWarnings("unchecked")
        List<Object> rows = entityManager.createNativeQuery(
                "select timeout_at from rollout_wave where rollout_id = ?1 and wave = ?2 and tenant_id = ?3")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenants.current()).getResultList();
        return rows.stream().map(HealthGateWindows::instant).filter(java.util.Objects::nonNull).findFirst()
                .map(timeout -> timeout.minusMillis(waveTimeoutMillis));
    }

    public Optional<Verdict> verdict(String rolloutId, int wave) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "select window_end, breach from health_gate_verdict where rollout_id = ?1 and wave = ?2"
                        + " and tenant_id = ?3")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenants.current()).getResultList();
        return rows.stream().map(row -> new Verdict(instant(row[0]), (String) row[1])).findFirst();
    }

    /** The wave's first window: what the cohorts had before it is its baseline. */
    public void takeBaseline(String rolloutId, int wave) {
        entityManager.createNativeQuery("""
                insert into health_gate_baseline (rollout_id, wave, cohort, succeeded, failed, health_reports,
                                                  unhealthy_reports, crashes, tenant_id)
                select rollout_id, ?2, cohort, succeeded, failed, health_reports, unhealthy_reports, crashes, tenant_id
                from health_gate_figures where rollout_id = ?1 and tenant_id = ?3
                on conflict do nothing""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenants.current()).executeUpdate();
    }

    public Map<String, CohortFigures> baselines(String rolloutId, int wave) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select cohort, succeeded, failed, health_reports, unhealthy_reports, crashes
                from health_gate_baseline where rollout_id = ?1 and wave = ?2 and tenant_id = ?3""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenants.current()).getResultList();
        Map<String, CohortFigures> baselines = new HashMap<>();
        for (Object[] row : rows) {
            baselines.put((String) row[0], new CohortFigures((String) row[0], number(row[1]), number(row[2]),
                    number(row[3]), number(row[4]), number(row[5]), false));
        }
        return baselines;
    }

    /** A cohort's newest cumulative figures and the end of the window they came with. */
    public record LatestFigures(Instant windowEnd, CohortFigures figures) {
    }

    /** Each cohort's newest cumulative figures (read without the rollout lock: for the API). */
    public Map<String, LatestFigures> latestFigures(String rolloutId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select cohort, window_end, succeeded, failed, health_reports, unhealthy_reports, crashes
                from health_gate_figures where rollout_id = ?1 and tenant_id = ?2 order by cohort""")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList();
        Map<String, LatestFigures> latest = new java.util.LinkedHashMap<>();
        for (Object[] row : rows) {
            latest.put((String) row[0], new LatestFigures(instant(row[1]), new CohortFigures((String) row[0],
                    number(row[2]), number(row[3]), number(row[4]), number(row[5]), number(row[6]), false)));
        }
        return latest;
    }

    /** Records the wave's verdict on a window; a breach stays once recorded (only a resume accepts it). */
    public void recordVerdict(String rolloutId, int wave, Instant windowEnd, String breachOrNull) {
        entityManager.createNativeQuery("""
                insert into health_gate_verdict (rollout_id, wave, window_end, breach, decided_at, tenant_id)
                values (?1, ?2, ?3, cast(?4 as varchar), now(), ?5)
                on conflict (rollout_id, wave) do update
                set window_end = greatest(health_gate_verdict.window_end, excluded.window_end),
                    breach = coalesce(health_gate_verdict.breach, excluded.breach),
                    decided_at = now()""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, windowEnd)
                .setParameter(4, breachOrNull).setParameter(5, tenants.current()).executeUpdate();
    }

    /** Keeps each cohort's newest cumulative figures (the baseline of the next wave). */
    public void storeFigures(String rolloutId, Instant windowEnd, List<CohortHealth> cohorts) {
        String tenant = tenants.current();
        for (CohortHealth cohort : cohorts) {
            entityManager.createNativeQuery("""
                    insert into health_gate_figures (rollout_id, cohort, window_end, succeeded, failed, health_reports,
                                                     unhealthy_reports, crashes, tenant_id)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                    on conflict (rollout_id, cohort) do update
                    set window_end = excluded.window_end, succeeded = excluded.succeeded, failed = excluded.failed,
                        health_reports = excluded.health_reports, unhealthy_reports = excluded.unhealthy_reports,
                        crashes = excluded.crashes
                    where health_gate_figures.window_end < excluded.window_end""")
                    .setParameter(1, rolloutId).setParameter(2, cohort.cohort()).setParameter(3, windowEnd)
                    .setParameter(4, cohort.succeeded()).setParameter(5, cohort.failed())
                    .setParameter(6, cohort.healthReports()).setParameter(7, cohort.unhealthyReports())
                    .setParameter(8, cohort.crashes()).setParameter(9, tenant).executeUpdate();
        }
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** A timestamp column as a native query returns it (driver and Hibernate versions differ), or null. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
    }
}
