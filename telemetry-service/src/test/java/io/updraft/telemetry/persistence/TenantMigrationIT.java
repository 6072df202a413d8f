package io.updraft.telemetry.persistence;

import static io.restassured.RestAssured.given;
import static io.updraft.telemetry.persistence.DatabaseBeforeTenants.DEVICE_ID;
import static io.updraft.telemetry.persistence.DatabaseBeforeTenants.ROLLOUT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An installation upgraded in place (ADR 0021): a database filled by telemetry-service before tenants (Flyway target
 * 6, {@link DatabaseBeforeTenants}) is migrated by this version at start (V7). Every row is kept and is DEFAULT's, no
 * tenant column keeps a default, every key starts with the tenant, and the REST API serves what was there.
 */
@QuarkusTest
@TestProfile(TenantMigrationIT.BeforeTenants.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class TenantMigrationIT {

    public static class BeforeTenants implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseBeforeTenants.class));
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void given_rows_written_before_tenants_when_migrated_then_every_row_is_kept_and_defaults() throws Exception {
        assertThat(query("select current_database()")).isEqualTo(DatabaseBeforeTenants.DATABASE);
        assertThat(query("select max(version::int) from flyway_schema_history where success")).isEqualTo("7");
        String rollout = "rollout_id = '" + ROLLOUT_ID + "'";
        assertThat(List.of(count("rollout where " + rollout), count("health_window where " + rollout),
                count("cohort_stats where " + rollout), count("counted_action where " + rollout),
                count("device_assignment where " + rollout), count("rollback_decision where " + rollout),
                count("device_progress where " + rollout),
                // the migrated point only: the service's window closer adds one per cohort each window (1 s) for the
                // running rollout from its start on
                count("health_point where window_end < now() - interval '1 hour' and " + rollout),
                count("device_health where device_id = '" + DEVICE_ID + "'")))
                .containsExactly(1L, 1L, 2L, 1L, 1L, 1L, 2L, 1L, 1L);
        for (String table : DatabaseBeforeTenants.TABLES) {
            assertThat(query("select count(*) from " + table + " where tenant_id <> 'DEFAULT'")).as(table)
                    .isEqualTo("0");
            assertThat(query("select coalesce(column_default, 'none') from information_schema.columns"
                    + " where table_name = '" + table + "' and column_name = 'tenant_id'"))
                    .as(table + ": no default, so no new row can miss its tenant").isEqualTo("none");
            assertThat(query("""
                    select a.attname from pg_index i
                    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                    where i.indrelid = '%s'::regclass and i.indisprimary""".formatted(table)))
                    .as(table + ": its key starts with the tenant").isEqualTo("tenant_id");
        }
    }

    @Test
    void given_migrated_rows_when_read_through_the_api_then_they_are_served_as_before() {
        JsonPath health = viewer().get("/api/v1/rollouts/{id}/health", ROLLOUT_ID).then().statusCode(200)
                .extract().jsonPath();
        assertThat(health.getDouble("policy.failureRateThreshold")).isEqualTo(0.4);
        assertThat(health.getLong("cohorts.find { it.cohort == 'board:A' }.succeeded")).isEqualTo(2);
        assertThat(health.getLong("cohorts.find { it.cohort == 'board:A' }.crashes")).isEqualTo(2);
        assertThat(health.getString("cohorts.find { it.cohort == 'board:B' }.rollbackReason"))
                .startsWith("failedInstalls");
        viewer().queryParam("rolloutId", ROLLOUT_ID).get("/api/v1/rollbacks").then().statusCode(200)
                .body("size()", is(1)).body("[0].cohort", is("board:B")).body("[0].rule", is("failedInstalls"));
        viewer().get("/api/v1/devices/{id}/health", DEVICE_ID).then().statusCode(200)
                .body("crashCount", is(3)).body("appHealthy", is(false)).body("metrics.cpu", is(0.5f));
        viewer().get("/api/v1/dashboard").then().statusCode(200)
                .body("rollouts.rolloutId", hasItem(ROLLOUT_ID))
                .body("rollouts.find { it.rolloutId == '" + ROLLOUT_ID + "' }.devices.SUCCEEDED", is(1))
                // the point migrated (oldest first; the window job adds one a window from now on)
                .body("rollouts.find { it.rolloutId == '" + ROLLOUT_ID + "' }.cohorts.find { it.cohort == 'board:A' }"
                        + ".history[0].crashes", is(2))
                .body("rollouts.find { it.rolloutId == '" + ROLLOUT_ID + "' }.name", startsWith("before tenants"));
    }

    private static RequestSpecification viewer() {
        return given().auth().oauth2(UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(5), "viewer"));
    }

    private long count(String table) throws Exception {
        return Long.parseLong(query("select count(*) from " + table));
    }

    private String query(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
