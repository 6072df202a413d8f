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

    /** Hardware (model, revision) of the devices matching {@code targetJson} that are not on the release yet. */
    public List<HardwareCount> candidateHardware(String targetJson, String releaseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select model, revision, count(*) from device
                where attributes @> cast(?1 as jsonb) and installed_release_id is distinct from ?2
                group by model, revision""")
                .setParameter(1, targetJson)
                .setParameter(2, releaseId)
                .getResultList();
        return rows.stream()
                .map(row -> new HardwareCount(Columns.text(row[0]), Columns.text(row[1]), Columns.number(row[2])))
                .toList();
    }

    /** Inserts the target set with wave 0 (unplanned) and returns how many devices it holds per cohort. */
    public Map<String, Integer> assignTargetSet(String rolloutId, String targetJson, String releaseId,
            List<AcceptedHardware> accepted) {
        entityManager.createNativeQuery("""
                insert into rollout_device (rollout_id, device_id, wave, cohort, from_release_id, from_version)
                select ?1, d.device_id, 0, h.cohort, d.installed_release_id, d.installed_version
                from device d
                join jsonb_to_recordset(cast(?2 as jsonb)) as h(model text, revision text, cohort text)
                  on h.model = d.model and h.revision is not distinct from d.revision
                where d.attributes @> cast(?3 as jsonb) and d.installed_release_id is distinct from ?4""")
                .setParameter(1, rolloutId)
                .setParameter(2, JsonColumns.write(accepted))
                .setParameter(3, targetJson)
                .setParameter(4, releaseId)
                .executeUpdate();
        // counted from what was inserted, so devices registering meanwhile cannot skew the plan
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "select cohort, count(*) from rollout_device where rollout_id = ?1 group by cohort order by cohort")
                .setParameter(1, rolloutId)
                .getResultList();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        rows.forEach(row -> sizes.put(Columns.text(row[0]), Columns.integer(row[1])));
        return sizes;
    }

    /** Device number r of a cohort (by id) goes to the first wave whose cumulative count reaches r. */
    public void applyPlan(String rolloutId, RolloutPlan plan) {
        entityManager.createNativeQuery("""
                update rollout_device rd set wave = ranked.wave
                from (select t.device_id,
                             (select min(e.ord) from jsonb_array_elements_text(cast(?2 as jsonb) -> t.cohort)
                                  with ordinality as e(bound, ord)
                              where t.rn <= e.bound::int) as wave
                      from (select device_id, cohort,
                                   row_number() over (partition by cohort order by device_id) as rn
                            from rollout_device where rollout_id = ?1) t) ranked
                where rd.rollout_id = ?1 and rd.device_id = ranked.device_id""")
                .setParameter(1, rolloutId)
                .setParameter(2, JsonColumns.write(plan.cumulative()))
                .executeUpdate();
    }
}
