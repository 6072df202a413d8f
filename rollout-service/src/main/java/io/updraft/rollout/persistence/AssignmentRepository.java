package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.Exclusion;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.domain.RolloutPlan;
import io.updraft.rollout.domain.WaveGroup;
import io.updraft.rollout.domain.WaveSchedule;
import io.updraft.support.persistence.SqlValues;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Set-based assignment of a rollout's target set to waves (rollout_device): the device rows never travel through
 * Java, so creating a rollout over a million devices is a few statements. Within the current tenant's inventory
 * ({@link Tenants#current()}, ADR 0021): every row written is that tenant's, the rollout's own.
 */
@ApplicationScoped
public class AssignmentRepository {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** A hardware cohort the release accepts, with the cohort name computed in Java (one definition). */
    public record AcceptedHardware(String model, String revision, String cohort) {
    }

    public record HardwareCount(String model, String revision, long devices) {
    }

    /** Hardware (model, revision) of the devices the selection matches. */
    public List<HardwareCount> candidateHardware(TargetSelection selection) {
        SqlParams params = new SqlParams();
        String sql = "select d.model, d.revision, count(*) from device d where "
                + selection.where(tenants.current(), params)
                + " group by d.model, d.revision";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = params.applyTo(entityManager.createNativeQuery(sql)).getResultList();
        return rows.stream()
                .map(row -> new HardwareCount(SqlValues.text(row[0]), SqlValues.text(row[1]), SqlValues.number(row[2])))
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
                + " where " + selection.where(tenants.current(), params) + " group by 1 order by 1";
        return sizes(params, sql);
    }

    /**
     * Why devices that the selection's attributes and filter match are not in the target set, or will hardly be
     * reached, in one statement over the inventory: {@code ALREADY_ON_RELEASE} (installed the release),
     * {@code INCOMPATIBLE} (its model and revision are not among {@code accepted}), {@code OFFLINE} (in the target
     * set, but last seen before {@code offlineBefore}, or never). Each device has one reason, in that order. Per
     * reason: the count and the first {@code sampleSize} device ids by id. Reasons without a device are absent.
     */
    public List<Exclusion> exclusions(TargetSelection selection, List<AcceptedHardware> accepted,
            Instant offlineBefore, int sampleSize) {
        SqlParams params = new SqlParams();
        String release = params.bind(selection.releaseId());
        String hardware = params.bind(JsonColumns.write(accepted));
        String cutoff = params.bind(offlineBefore.toString());
        String classified = "select d.device_id, case"
                + " when d.installed_release_id = " + release + " then 'ALREADY_ON_RELEASE'"
                + " when h.model is null then 'INCOMPATIBLE'"
                + " when d.last_seen is null or d.last_seen < cast(" + cutoff + " as timestamptz) then 'OFFLINE'"
                + " end as reason from device d"
                + " left join jsonb_to_recordset(cast(" + hardware + " as jsonb)) as h(model text, revision text,"
                + " cohort text) on h.model = d.model and h.revision is not distinct from d.revision"
                + " where " + selection.attributesAndFilter(tenants.current(), params);
        String sql = "select reason, total, device_id from (select c.reason, c.device_id,"
                + " count(*) over (partition by c.reason) as total,"
                + " row_number() over (partition by c.reason order by c.device_id) as rn"
                + " from (" + classified + ") c where c.reason is not null) r"
                + " where rn <= " + params.bind(sampleSize) + " order by reason, device_id";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = params.applyTo(entityManager.createNativeQuery(sql)).getResultList();
        Map<String, Long> totals = new LinkedHashMap<>();
        Map<String, List<String>> samples = new LinkedHashMap<>();
        for (Object[] row : rows) {
            String reason = SqlValues.text(row[0]);
            totals.put(reason, SqlValues.number(row[1]));
            samples.computeIfAbsent(reason, r -> new ArrayList<>()).add(SqlValues.text(row[2]));
        }
        return totals.entrySet().stream()
                .map(e -> new Exclusion(e.getKey(), e.getValue(), samples.get(e.getKey())))
                .toList();
    }

    /**
     * Inserts the target set already in its waves: device number r of a stratum (by id) goes to the first wave whose
     * cumulative count in {@code plan} reaches r — one insert, no second pass over a million rows. A device beyond the
     * plan (one that registered after the strata were counted) lands in the last wave; the caller compares the counts
     * returned with the plan and re-plans exactly with {@link #applyPlan} in that rare case.
     *
     * <p>The plan's bounds are a relation of (stratum, wave, rank range) joined by hash to the ranked devices, not a
     * lookup in a JSON document per device; a plan of one wave ranks nothing (every device is in wave 1), so its
     * insert is a plain scan without a sort. The counts come from the insert's own rows.
     *
     * @return devices per stratum as inserted, and each stratum's hardware cohort
     */
    public Assigned assignPlanned(String rolloutId, TargetSelection selection,
            List<AcceptedHardware> accepted, RolloutPlan plan) {
        SqlParams params = new SqlParams();
        String id = params.bind(rolloutId);
        String tenant = params.bind(tenants.current());
        String hardware = params.bind(JsonColumns.write(accepted));
        String stratum = selection.cohortBy().isEmpty() ? "cast(null as text)" : selection.stratum(params);
        String targets = "select d.device_id, h.cohort, " + stratum + " as stratum, d.installed_release_id,"
                + " d.installed_version from device d"
                + " join jsonb_to_recordset(cast(" + hardware + " as jsonb)) as h(model text, revision text, cohort text)"
                + " on h.model = d.model and h.revision is not distinct from d.revision"
                + " where " + selection.where(tenants.current(), params);
        String rows;
        if (plan.waves().count() == 1) {
            rows = "select " + id + ", t.device_id, 1, t.cohort, t.stratum, t.installed_release_id, t.installed_version,"
                    + " " + tenant + " from (" + targets + ") t";
        } else {
            sortInMemory();
            rows = "select " + id + ", t.device_id, coalesce(b.wave, " + params.bind(plan.waves().count()) + "),"
                    + " t.cohort, t.stratum, t.installed_release_id, t.installed_version, " + tenant
                    + " from (select s.*, row_number() over (partition by coalesce(s.stratum, s.cohort)"
                    + " order by s.device_id) as rn from (" + targets + ") s) t"
                    + " left join (" + waveRanks(plan, params) + ") b"
                    + " on b.stratum = coalesce(t.stratum, t.cohort) and t.rn > b.after and t.rn <= b.upto";
        }
        String insert = "with inserted as (insert into rollout_device (rollout_id, device_id, wave, cohort, stratum,"
                + " from_release_id, from_version, tenant_id) " + rows + " returning coalesce(stratum, cohort) as stratum,"
                + " cohort) select stratum, min(cohort), count(*) from inserted group by 1 order by 1";
        @SuppressWarnings("unchecked")
        List<Object[]> counted = params.applyTo(entityManager.createNativeQuery(insert)).getResultList();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        Map<String, String> cohorts = new LinkedHashMap<>();
        for (Object[] row : counted) {
            sizes.put(SqlValues.text(row[0]), SqlValues.integer(row[2]));
            cohorts.put(SqlValues.text(row[0]), SqlValues.text(row[1]));
        }
        return new Assigned(sizes, cohorts);
    }

    /**
     * What a planning insert wrote: devices per stratum, and the hardware cohort each stratum is part of (a stratum is
     * one cohort's devices, cut by the {@code cohortBy} attributes; without them it is the cohort).
     */
    public record Assigned(Map<String, Integer> sizes, Map<String, String> cohorts) {
    }

    /**
     * The plan as a relation (stratum, wave, after, upto): wave k of a stratum takes the devices ranked after the
     * cumulative count of wave k-1 up to its own; the last wave also takes any device beyond the plan.
     */
    private static String waveRanks(RolloutPlan plan, SqlParams params) {
        return "select c.key as stratum, cast(e.ord as int) as wave,"
                + " coalesce(lag(cast(e.bound as int)) over (partition by c.key order by e.ord), 0) as after,"
                + " case when e.ord = " + params.bind(plan.waves().count()) + " then 2147483647"
                + " else cast(e.bound as int) end as upto"
                + " from jsonb_each(cast(" + params.bind(JsonColumns.write(plan.cumulative())) + " as jsonb)) as c,"
                + " jsonb_array_elements_text(c.value) with ordinality as e(bound, ord)";
    }

    /**
     * Ranking a million devices per stratum sorts them: with the default {@code work_mem} (4 MB) that sort spills to
     * disk; this transaction may use enough memory to sort in memory (~100 MB per million devices).
     */
    private void sortInMemory() {
        entityManager.createNativeQuery("select set_config('work_mem', '256MB', true)").getSingleResult();
    }

    /** What explicit groups take: stratum → devices per group (wave 1 first), and the target set's rest. */
    public record GroupCounts(Map<String, int[]> taken, long ungrouped) {
    }

    /**
     * Inserts the target set group by group — one set-based insert per group, in order: group k takes, per stratum,
     * {@link io.updraft.rollout.domain.RolloutPlanner#groupShare} of the devices that match its filter and that no
     * earlier group took (the first by id; the canary only in group 1). No device row travels through Java and
     * nothing is counted before inserting, so the groups are exact whatever registers meanwhile.
     *
     * @return stratum → devices each group took (strata no group took are absent), and each stratum's cohort
     */
    public Taken assignGroups(String rolloutId, TargetSelection selection,
            List<AcceptedHardware> accepted, WaveSchedule groups, int canaryPerCohort) {
        for (int wave = 1; wave <= groups.count(); wave++) {
            SqlParams params = new SqlParams();
            String id = params.bind(rolloutId);
            String tenant = params.bind(tenants.current());
            String hardware = params.bind(JsonColumns.write(accepted));
            String stratum = selection.cohortBy().isEmpty() ? "cast(null as text)" : selection.stratum(params);
            String where = selection.where(tenants.current(), params) + groupCondition(groups.group(wave), params);
            String insert = "insert into rollout_device (rollout_id, device_id, wave, cohort, stratum,"
                    + " from_release_id, from_version, tenant_id) select " + id + ", t.device_id, " + params.bind(wave)
                    + ", t.cohort, t.stratum, t.installed_release_id, t.installed_version, " + tenant
                    + " from (select s.*,"
                    + " row_number() over (partition by coalesce(s.stratum, s.cohort) order by s.device_id) as rn,"
                    + " count(*) over (partition by coalesce(s.stratum, s.cohort)) as n"
                    + " from (select d.device_id, h.cohort, " + stratum + " as stratum, d.installed_release_id,"
                    + " d.installed_version from device d"
                    + " join jsonb_to_recordset(cast(" + hardware + " as jsonb))"
                    + " as h(model text, revision text, cohort text)"
                    + " on h.model = d.model and h.revision is not distinct from d.revision"
                    + " where " + where + " and not exists (select 1 from rollout_device rd where rd.rollout_id = "
                    + id + " and rd.tenant_id = " + tenant + " and rd.device_id = d.device_id)) s) t"
                    + " where t.rn <= " + share("t.n", groups.percent(wave), wave == 1 ? canaryPerCohort : 0, params);
            params.applyTo(entityManager.createNativeQuery(insert)).executeUpdate();
        }
        SqlParams count = new SqlParams();
        String sql = "select wave, coalesce(stratum, cohort), count(*), min(cohort) from rollout_device"
                + " where rollout_id = " + count.bind(rolloutId) + " and tenant_id = " + count.bind(tenants.current())
                + " group by 1, 2";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = count.applyTo(entityManager.createNativeQuery(sql)).getResultList();
        Map<String, String> cohorts = new TreeMap<>();
        rows.forEach(row -> cohorts.put(SqlValues.text(row[1]), SqlValues.text(row[3])));
        return new Taken(perGroup(groups.count(), rows), cohorts);
    }

    /** What the groups took: stratum → devices per group (wave 1 first), and each stratum's hardware cohort. */
    public record Taken(Map<String, int[]> taken, Map<String, String> cohorts) {
    }

    /**
     * What {@link #assignGroups} would insert now, in one read-only statement: each group is a CTE over the target
     * set that leaves out the devices of the groups before it.
     */
    public GroupCounts previewGroups(TargetSelection selection, List<AcceptedHardware> accepted, WaveSchedule groups,
            int canaryPerCohort) {
        SqlParams params = new SqlParams();
        String hardware = params.bind(JsonColumns.write(accepted));
        StringBuilder base = new StringBuilder("select d.device_id, " + selection.stratum(params) + " as sk");
        for (int wave = 1; wave <= groups.count(); wave++) {
            WaveGroup group = groups.group(wave);
            base.append(", ").append(group.filter() == null ? "true"
                    : "coalesce((" + FilterSql.condition(group.filter(), params::bind) + "), false)")
                    .append(" as m").append(wave);
        }
        base.append(" from device d join jsonb_to_recordset(cast(").append(hardware)
                .append(" as jsonb)) as h(model text, revision text, cohort text)")
                .append(" on h.model = d.model and h.revision is not distinct from d.revision where ")
                .append(selection.where(tenants.current(), params));
        StringBuilder sql = new StringBuilder("with base as (").append(base).append(")");
        StringBuilder counts = new StringBuilder(" select 0, sk, count(*) from base group by sk");
        for (int wave = 1; wave <= groups.count(); wave++) {
            sql.append(", g").append(wave).append(" as (select t.device_id, t.sk from (select b.device_id, b.sk,")
                    .append(" row_number() over (partition by b.sk order by b.device_id) as rn,")
                    .append(" count(*) over (partition by b.sk) as n from base b where b.m").append(wave);
            for (int earlier = 1; earlier < wave; earlier++) {
                sql.append(" and not exists (select 1 from g").append(earlier).append(" x where x.device_id = b.device_id)");
            }
            sql.append(") t where t.rn <= ")
                    .append(share("t.n", groups.percent(wave), wave == 1 ? canaryPerCohort : 0, params)).append(")");
            counts.append(" union all select ").append(wave).append(", sk, count(*) from g").append(wave)
                    .append(" group by sk");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = params.applyTo(entityManager.createNativeQuery(sql.append(counts).toString()))
                .getResultList();
        Map<String, int[]> taken = new TreeMap<>();
        long targetSet = 0;
        long grouped = 0;
        for (Object[] row : rows) {
            int wave = SqlValues.integer(row[0]);
            int devices = SqlValues.integer(row[2]);
            if (wave == 0) {
                targetSet += devices;
            } else {
                taken.computeIfAbsent(SqlValues.text(row[1]), s -> new int[groups.count()])[wave - 1] = devices;
                grouped += devices;
            }
        }
        return new GroupCounts(taken, targetSet - grouped);
    }

    /** " and (group filter)", or nothing for a group without a filter. */
    private static String groupCondition(WaveGroup group, SqlParams params) {
        return group.filter() == null ? "" : " and (" + FilterSql.condition(group.filter(), params::bind) + ")";
    }

    /** SQL of {@link io.updraft.rollout.domain.RolloutPlanner#groupShare} over the stratum's candidate count. */
    private static String share(String n, int percent, int canary, SqlParams params) {
        String p = params.bind(percent);
        String c = params.bind(canary);
        return "least(" + n + ", greatest((" + n + " * " + p + " + 99) / 100, least(" + c + ", " + n + ")))";
    }

    /** Rows (wave, stratum, devices, …) as stratum → devices per group. */
    private static Map<String, int[]> perGroup(int groups, List<Object[]> rows) {
        Map<String, int[]> taken = new TreeMap<>();
        rows.forEach(row -> taken.computeIfAbsent(SqlValues.text(row[1]), s -> new int[groups])[SqlValues.integer(row[0]) - 1]
                = SqlValues.integer(row[2]));
        return taken;
    }

    /** Device number r of a stratum (by id) goes to the first wave whose cumulative count reaches r. */
    public void applyPlan(String rolloutId, RolloutPlan plan) {
        sortInMemory();
        SqlParams params = new SqlParams();
        String id = params.bind(rolloutId);
        String tenant = params.bind(tenants.current());
        String update = "update rollout_device rd set wave = b.wave"
                + " from (select device_id, coalesce(stratum, cohort) as stratum,"
                + " row_number() over (partition by coalesce(stratum, cohort) order by device_id) as rn"
                + " from rollout_device where rollout_id = " + id + " and tenant_id = " + tenant + ") t"
                + " join (" + waveRanks(plan, params) + ") b on b.stratum = t.stratum and t.rn > b.after and t.rn <= b.upto"
                + " where rd.rollout_id = " + id + " and rd.tenant_id = " + tenant + " and rd.device_id = t.device_id"
                + " and rd.wave <> b.wave";
        params.applyTo(entityManager.createNativeQuery(update)).executeUpdate();
    }

    private Map<String, Integer> sizes(SqlParams params, String sql) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = params.applyTo(entityManager.createNativeQuery(sql)).getResultList();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        rows.forEach(row -> sizes.put(SqlValues.text(row[0]), SqlValues.integer(row[1])));
        return sizes;
    }
}
