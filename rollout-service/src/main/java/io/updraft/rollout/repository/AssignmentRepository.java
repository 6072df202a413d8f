package io.updraft.rollout.repository;

import io.updraft.rollout.domain.RolloutPlan;
import io.updraft.rollout.mapping.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Set-based assignment of a rollout's target set to waves (rollout_device): the device rows never travel through
 * Java, so creating a rollout over a million devices is a few statements.
 */
@ApplicationScoped
public class AssignmentRepository {
    @Inject
    EntityManager entityManager;

    /** A hardware cohort the release accepts, with the cohort name computed in Java (one definition). */
    public record AcceptedHardware(String model, String revision, String cohort) {
    }

    public record HardwareCount(String model, String revision, long devices) {
    }

    /** Hardware (model, revision) of the devices the selection matches. */
    public List<HardwareCount> candidateHardware(TargetSelection selection) {
        SqlParams params = new SqlParams();
        String sql = "select d.model, d.revision, count(*) from device d where " + selection.where(params)
                + " group by d.model, d.revision";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = params.applyTo(entityManager.createNativeQuery(sql)).getResultList();
        return rows.stream()
                .map(row -> new HardwareCount(Columns.text(row[0]), Columns.text(row[1]), Columns.number(row[2])))
                .toList();
    }

    /** Devices per canary stratum of the target set, without storing anything (the preview). */
    public Map<String, Integer> strata(TargetSelection selection, List<AcceptedHardware> accepted) {
        SqlParams params = new SqlParams();
        String hardware = params.bind(JsonColumns.write(accepted));
        String stratum = selection.stratum(params);
        String sql = "select " + stratum + " as stratum, count(*) from device d"
                + " join jsonb_to_recordset(cast(" + hardware + " as jsonb)) as h(model text, revision text, cohort text)"
                + " on h.model = d.model and h.revision is not distinct from d.revision"
                + " where " + selection.where(params) + " group by 1 order by 1";
        return sizes(params, sql);
    }

    /**
     * Inserts the target set already in its waves: device number r of a stratum (by id) goes to the first wave whose
     * cumulative count in {@code plan} reaches r — one insert, no second pass over a million rows. A device beyond the
     * plan (one that registered after the strata were counted) lands in the last wave; the caller compares the counts
     * returned with the plan and re-plans exactly with {@link #applyPlan} in that rare case.
     *
     * @return devices per stratum as inserted
     */
    public Map<String, Integer> assignPlanned(String rolloutId, TargetSelection selection,
            List<AcceptedHardware> accepted, RolloutPlan plan) {
        SqlParams params = new SqlParams();
        String id = params.bind(rolloutId);
        String bounds = params.bind(JsonColumns.write(plan.cumulative()));
        String lastWave = params.bind(plan.waves().count());
        String hardware = params.bind(JsonColumns.write(accepted));
        String stratum = selection.cohortBy().isEmpty() ? "cast(null as text)" : selection.stratum(params);
        String insert = "insert into rollout_device (rollout_id, device_id, wave, cohort, stratum, from_release_id,"
                + " from_version) select " + id + ", t.device_id,"
                + " coalesce((select min(e.ord) from jsonb_array_elements_text(cast(" + bounds + " as jsonb)"
                + " -> coalesce(t.stratum, t.cohort)) with ordinality as e(bound, ord) where t.rn <= e.bound::int), "
                + lastWave + "), t.cohort, t.stratum, t.installed_release_id, t.installed_version"
                + " from (select s.*, row_number() over (partition by coalesce(s.stratum, s.cohort) order by s.device_id)"
                + " as rn from (select d.device_id, h.cohort, " + stratum + " as stratum, d.installed_release_id,"
                + " d.installed_version from device d"
                + " join jsonb_to_recordset(cast(" + hardware + " as jsonb)) as h(model text, revision text, cohort text)"
                + " on h.model = d.model and h.revision is not distinct from d.revision"
                + " where " + selection.where(params) + ") s) t";
        params.applyTo(entityManager.createNativeQuery(insert)).executeUpdate();
        SqlParams count = new SqlParams();
        return sizes(count, "select coalesce(stratum, cohort), count(*) from rollout_device where rollout_id = "
                + count.bind(rolloutId) + " group by 1 order by 1");
    }

    /** Device number r of a stratum (by id) goes to the first wave whose cumulative count reaches r. */
    public void applyPlan(String rolloutId, RolloutPlan plan) {
        entityManager.createNativeQuery("""
                update rollout_device rd set wave = ranked.wave
                from (select t.device_id,
                             (select min(e.ord) from jsonb_array_elements_text(cast(?2 as jsonb) -> t.stratum)
                                  with ordinality as e(bound, ord)
                              where t.rn <= e.bound::int) as wave
                      from (select device_id, coalesce(stratum, cohort) as stratum,
                                   row_number() over (partition by coalesce(stratum, cohort) order by device_id) as rn
                            from rollout_device where rollout_id = ?1) t) ranked
                where rd.rollout_id = ?1 and rd.device_id = ranked.device_id""")
                .setParameter(1, rolloutId)
                .setParameter(2, JsonColumns.write(plan.cumulative()))
                .executeUpdate();
    }

    private Map<String, Integer> sizes(SqlParams params, String sql) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = params.applyTo(entityManager.createNativeQuery(sql)).getResultList();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        rows.forEach(row -> sizes.put(Columns.text(row[0]), Columns.integer(row[1])));
        return sizes;
    }
}
