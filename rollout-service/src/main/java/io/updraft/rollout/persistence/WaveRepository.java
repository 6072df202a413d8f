package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.ErrorAction;
import io.updraft.rollout.domain.RolloutPlan;
import io.updraft.rollout.domain.WaveCohortActions;
import io.updraft.rollout.domain.WaveGroup;
import io.updraft.rollout.domain.WaveJudge.WaveProgress;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.domain.WaveRules;
import io.updraft.rollout.domain.WaveState;
import io.updraft.support.persistence.SqlValues;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * Waves, cohorts and the per wave x cohort progress counters of rollouts, each statement within the current tenant
 * ({@link Tenants#current()}, ADR 0021).
 */
@ApplicationScoped
public class WaveRepository {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** Actions of one wave x cohort that just became terminal, by outcome: counts to add to its counters. */
    public record Finished(String rolloutId, int wave, String cohort, int succeeded, int failed, int canceled,
            int expired) {
    }

    /**
     * @param plan its waves' rules should be resolved ({@link io.updraft.rollout.domain.WaveSchedule#withDefaults}):
     *        they are stored as the waves' effective thresholds and error action
     * @param cohorts the hardware cohort of each of the plan's strata
     * @param approvals the waves (1-based) that wait for an operator's approval before they start
     */
    public void create(String rolloutId, RolloutPlan plan, Map<String, String> cohorts,
            java.util.Set<Integer> approvals) {
        String tenant = tenants.current();
        for (int wave = 1; wave <= plan.waves().count(); wave++) {
            WaveRules rules = plan.waves().rules(wave);
            WaveGroup group = plan.waves().group(wave);
            entityManager.createNativeQuery("""
                    insert into rollout_wave (rollout_id, wave, percent, device_count, state, approval,
                                              success_threshold, error_threshold, error_action, name, filter, tenant_id)
                    values (?1, ?2, ?3, ?4, 'PENDING', ?5, cast(?6 as double precision), cast(?7 as double precision),
                            cast(?8 as varchar), cast(?9 as varchar), cast(?10 as text), ?11)""")
                    .setParameter(11, tenant)
                    .setParameter(1, rolloutId)
                    .setParameter(2, wave)
                    .setParameter(3, plan.waves().percent(wave))
                    .setParameter(4, plan.devicesInWave(wave))
                    .setParameter(5, approvals.contains(wave))
                    .setParameter(6, rules.successThreshold())
                    .setParameter(7, rules.errorThreshold())
                    .setParameter(8, rules.errorAction() == null ? null : rules.errorAction().name())
                    .setParameter(9, group == null ? null : group.name())
                    .setParameter(10, group == null ? null : group.filterText())
                    .executeUpdate();
        }
        // the devices per wave x cohort are the plan's, which is exactly what the planning insert wrote: no pass over
        // the rollout's rows in rollout_device (a million at fleet scale, 0.4 s and more of the POST) to count them;
        // the cohorts' totals are summed from these few rows
        Map<Integer, Map<String, Integer>> perWave = new TreeMap<>();
        plan.cumulative().keySet().forEach(stratum -> {
            String cohort = cohorts.get(stratum);
            if (cohort == null) {
                throw new IllegalStateException("no cohort for stratum " + stratum + " of rollout " + rolloutId);
            }
            for (int wave = 1; wave <= plan.waves().count(); wave++) {
                int devices = plan.devicesIn(stratum, wave);
                if (devices > 0) {
                    perWave.computeIfAbsent(wave, w -> new TreeMap<>()).merge(cohort, devices, Integer::sum);
                }
            }
        });
        perWave.forEach((wave, perCohort) -> perCohort.forEach((cohort, devices) -> entityManager.createNativeQuery(
                "insert into wave_cohort (rollout_id, wave, cohort, devices, tenant_id) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, cohort).setParameter(4, devices)
                .setParameter(5, tenant).executeUpdate()));
        entityManager.createNativeQuery("""
                insert into rollout_cohort (rollout_id, cohort, device_count, state, tenant_id)
                select rollout_id, cohort, sum(devices), 'ACTIVE', tenant_id from wave_cohort
                where rollout_id = ?1 and tenant_id = ?2
                group by rollout_id, cohort, tenant_id""")
                .setParameter(1, rolloutId).setParameter(2, tenant).executeUpdate();
    }

    public void setState(String rolloutId, int wave, WaveState state) {
        entityManager.createNativeQuery("update rollout_wave set state = ?3"
                + " where rollout_id = ?1 and wave = ?2 and tenant_id = ?4")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, state.name())
                .setParameter(4, tenants.current()).executeUpdate();
    }

    /** The rollout was aborted: every wave that has not ended ends ABORTED ({@link WaveState#onAbort}). */
    public void abortUnended(String rolloutId) {
        String unended = Arrays.stream(WaveState.values()).filter(state -> !state.hasEnded())
                .map(state -> "'" + state.name() + "'").collect(Collectors.joining(", "));
        entityManager.createNativeQuery("update rollout_wave set state = '" + WaveState.ABORTED.name()
                + "' where rollout_id = ?1 and tenant_id = ?2 and state in (" + unended + ")")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).executeUpdate();
    }

    /** A wave just started: it is judged on what finished by {@code timeoutAt} at the latest. */
    public void startTimer(String rolloutId, int wave, Instant timeoutAt) {
        entityManager.createNativeQuery("update rollout_wave set timeout_at = ?3"
                + " where rollout_id = ?1 and wave = ?2 and tenant_id = ?4")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, timeoutAt)
                .setParameter(4, tenants.current()).executeUpdate();
    }

    /** The running wave's timeout passed: it soaks until {@code until} with whatever is still pending. */
    public void soakTimedOut(String rolloutId, int wave, Instant until) {
        entityManager.createNativeQuery("""
                update rollout_wave set state = 'SOAKING', soak_until = ?3, timed_out = true
                where rollout_id = ?1 and wave = ?2 and tenant_id = ?4""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, until)
                .setParameter(4, tenants.current()).executeUpdate();
    }

    public void soak(String rolloutId, int wave, Instant until) {
        entityManager.createNativeQuery("""
                update rollout_wave set state = 'SOAKING', soak_until = ?3
                where rollout_id = ?1 and wave = ?2 and tenant_id = ?4""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, until)
                .setParameter(4, tenants.current()).executeUpdate();
    }

    public Optional<WaveRow> find(String rolloutId, int wave) {
        return waves(rolloutId).stream().filter(row -> row.wave() == wave).findFirst();
    }

    public List<WaveRow> waves(String rolloutId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select wave, percent, device_count, state, soak_until, approval, timed_out, name, filter,
                       success_threshold, error_threshold, error_action
                from rollout_wave where rollout_id = ?1 and tenant_id = ?2 order by wave""")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList();
        return rows.stream().map(row -> new WaveRow(SqlValues.integer(row[0]), SqlValues.integer(row[1]),
                SqlValues.integer(row[2]), WaveState.valueOf(SqlValues.text(row[3])), SqlValues.instant(row[4]),
                SqlValues.flag(row[5]), SqlValues.flag(row[6]), SqlValues.text(row[7]), SqlValues.text(row[8]),
                row[9] == null ? null : ((Number) row[9]).doubleValue(),
                row[10] == null ? null : ((Number) row[10]).doubleValue(),
                row[11] == null ? null : ErrorAction.valueOf(SqlValues.text(row[11])))).toList();
    }

    public List<CohortRow> cohorts(String rolloutId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select cohort, device_count, state, rollback_reason, cast(rollback_evidence as text)
                from rollout_cohort where rollout_id = ?1 and tenant_id = ?2 order by cohort""")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList();
        return rows.stream().map(row -> new CohortRow(SqlValues.text(row[0]), SqlValues.integer(row[1]),
                CohortState.valueOf(SqlValues.text(row[2])), SqlValues.text(row[3]), SqlValues.text(row[4]))).toList();
    }

    /** Keeps telemetry's evidence with the cohort it rolled back. */
    public void recordRollbackEvidence(String rolloutId, String cohort, String evidenceJson) {
        entityManager.createNativeQuery("""
                update rollout_cohort set rollback_evidence = cast(?3 as jsonb)
                where rollout_id = ?1 and cohort = ?2 and state = 'ROLLED_BACK' and tenant_id = ?4""")
                .setParameter(1, rolloutId).setParameter(2, cohort).setParameter(3, evidenceJson)
                .setParameter(4, tenants.current()).executeUpdate();
    }

    /** @return false if the cohort is not part of the rollout or was already rolled back */
    public boolean rollBack(String rolloutId, String cohort, String reason) {
        return entityManager.createNativeQuery("""
                update rollout_cohort set state = 'ROLLED_BACK', rollback_reason = cast(?3 as varchar)
                where rollout_id = ?1 and cohort = ?2 and state = 'ACTIVE' and tenant_id = ?4""")
                .setParameter(1, rolloutId).setParameter(2, cohort).setParameter(3, reason)
                .setParameter(4, tenants.current()).executeUpdate() == 1;
    }

    /** Counts a non-rollback action that just became terminal. */
    public void countFinished(String rolloutId, int wave, String cohort, String column) {
        if (!List.of("succeeded", "failed", "canceled", "expired").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        entityManager.createNativeQuery("update wave_cohort set " + column + " = " + column
                + " + 1 where rollout_id = ?1 and wave = ?2 and cohort = ?3 and tenant_id = ?4")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, cohort)
                .setParameter(4, tenants.current()).executeUpdate();
    }

    /**
     * {@link #countFinished} for a polled batch of reports, in one statement: each row's counts added at once (one
     * entry per row). The caller holds the rollouts' locks, as for {@link #countFinished}.
     */
    public void countFinishedAll(List<Finished> counts) {
        if (counts.isEmpty()) {
            return;
        }
        int n = counts.size();
        String[] rollouts = new String[n];
        Integer[] waveNumbers = new Integer[n];
        String[] cohorts = new String[n];
        Integer[] succeeded = new Integer[n];
        Integer[] failed = new Integer[n];
        Integer[] canceled = new Integer[n];
        Integer[] expired = new Integer[n];
        for (int i = 0; i < n; i++) {
            Finished row = counts.get(i);
            rollouts[i] = row.rolloutId();
            waveNumbers[i] = row.wave();
            cohorts[i] = row.cohort();
            succeeded[i] = row.succeeded();
            failed[i] = row.failed();
            canceled[i] = row.canceled();
            expired[i] = row.expired();
        }
        String tenant = tenants.current();
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update wave_cohort w set succeeded = w.succeeded + t.succeeded, failed = w.failed + t.failed,
                           canceled = w.canceled + t.canceled, expired = w.expired + t.expired
                    from unnest(?::varchar[], ?::int[], ?::varchar[], ?::int[], ?::int[], ?::int[], ?::int[])
                         as t(rollout_id, wave, cohort, succeeded, failed, canceled, expired)
                    where w.rollout_id = t.rollout_id and w.wave = t.wave and w.cohort = t.cohort
                          and w.tenant_id = ?""")) {
                update.setArray(1, connection.createArrayOf("varchar", rollouts));
                update.setArray(2, connection.createArrayOf("integer", waveNumbers));
                update.setArray(3, connection.createArrayOf("varchar", cohorts));
                update.setArray(4, connection.createArrayOf("integer", succeeded));
                update.setArray(5, connection.createArrayOf("integer", failed));
                update.setArray(6, connection.createArrayOf("integer", canceled));
                update.setArray(7, connection.createArrayOf("integer", expired));
                update.setString(8, tenant);
                update.executeUpdate();
            }
        });
    }

    /** Every wave x cohort of the rollout with its install actions by state, in (wave, cohort) order. */
    public List<WaveCohortActions> actionsPerWaveAndCohort(String rolloutId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select w.wave, w.cohort, w.devices, a.state, count(a.action_id)
                from wave_cohort w
                left join device_action a on a.rollout_id = w.rollout_id and a.wave = w.wave and a.cohort = w.cohort
                                         and not a.rollback and a.tenant_id = w.tenant_id
                where w.rollout_id = ?1 and w.tenant_id = ?2
                group by w.wave, w.cohort, w.devices, a.state
                order by w.wave, w.cohort""")
                .setParameter(1, rolloutId).setParameter(2, tenants.current()).getResultList();
        List<WaveCohortActions> cells = new ArrayList<>();
        WaveCohortActions cell = null;
        for (Object[] row : rows) { // ordered: a cell's rows (one per action state) follow each other
            int wave = SqlValues.integer(row[0]);
            String cohort = SqlValues.text(row[1]);
            if (cell == null || cell.wave() != wave || !cell.cohort().equals(cohort)) {
                cell = new WaveCohortActions(wave, cohort, SqlValues.number(row[2]), new EnumMap<>(ActionState.class));
                cells.add(cell);
            }
            if (row[3] != null) {
                cell.actions().put(ActionState.valueOf(SqlValues.text(row[3])), SqlValues.number(row[4]));
            }
        }
        return cells;
    }

    /** Devices of a wave in ACTIVE cohorts: a wave with none is skipped rather than started or approved. */
    public long activeDevices(String rolloutId, int wave) {
        return progress(rolloutId, wave).devices();
    }

    /** A wave's counters over its ACTIVE cohorts: rolled-back cohorts no longer hold a wave back or fail it. */
    public WaveProgress progress(String rolloutId, int wave) {
        Object[] row = (Object[]) entityManager.createNativeQuery("""
                select coalesce(sum(w.devices), 0), coalesce(sum(w.succeeded), 0), coalesce(sum(w.failed), 0),
                       coalesce(sum(w.canceled), 0), coalesce(sum(w.expired), 0)
                from wave_cohort w join rollout_cohort c on c.rollout_id = w.rollout_id and c.cohort = w.cohort
                                                          and c.tenant_id = w.tenant_id
                where w.rollout_id = ?1 and w.wave = ?2 and c.state = 'ACTIVE' and w.tenant_id = ?3""")
                .setParameter(1, rolloutId).setParameter(2, wave).setParameter(3, tenants.current())
                .getSingleResult();
        return new WaveProgress(SqlValues.number(row[0]), SqlValues.number(row[1]), SqlValues.number(row[2]),
                SqlValues.number(row[3]), SqlValues.number(row[4]));
    }
}
