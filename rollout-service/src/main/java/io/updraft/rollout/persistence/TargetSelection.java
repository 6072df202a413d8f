package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.domain.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * Which inventory devices a rollout targets, as SQL over {@code device d}: attributes containing {@code target},
 * the {@code filter} (may be null), and not on the release already. The release's hardware compatibility is
 * applied by the caller's join on the accepted (model, revision) pairs.
 *
 * @param cohortBy attributes that cut hardware cohorts into canary strata, besides model and revision
 */
public record TargetSelection(Map<String, String> target, Filter filter, String releaseId, List<String> cohortBy) {
    public TargetSelection {
        target = target == null ? Map.of() : Map.copyOf(target);
        cohortBy = cohortBy == null ? List.of() : List.copyOf(cohortBy);
    }

    /** The target set within {@code tenant}'s inventory (ADR 0021: never another tenant's devices). */
    String where(String tenant, SqlParams params) {
        return attributesAndFilter(tenant, params) + " and d.installed_release_id is distinct from "
                + params.bind(releaseId);
    }

    /** The target attributes and the filter only: devices on the release too (the preview's exclusions). */
    String attributesAndFilter(String tenant, SqlParams params) {
        String where = "d.tenant_id = " + params.bind(tenant) + " and d.attributes @> cast("
                + params.bind(JsonColumns.write(target)) + " as jsonb)";
        return filter == null ? where : where + " and " + FilterSql.condition(filter, params::bind);
    }

    /** The stratum of a device joined with its accepted hardware {@code h}: {@code "gw-200:1.0 region=eu"}. */
    String stratum(SqlParams params) {
        if (cohortBy.isEmpty()) {
            return "h.cohort";
        }
        StringBuilder sql = new StringBuilder("h.cohort");
        for (String attribute : cohortBy) {
            sql.append(" || ").append(params.bind(" " + attribute + "="))
                    .append(" || coalesce(d.attributes ->> cast(").append(params.bind(attribute))
                    .append(" as text), '-')");
        }
        return sql.toString();
    }
}
