package io.updraft.rollout;

import static io.updraft.rollout.DatabaseBeforeTenants.COHORT;
import static io.updraft.rollout.DatabaseBeforeTenants.DONE_ACTION;
import static io.updraft.rollout.DatabaseBeforeTenants.OPEN_ACTION;
import static io.updraft.rollout.DatabaseBeforeTenants.RELEASE_ID;
import static io.updraft.rollout.DatabaseBeforeTenants.ROLLOUT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An installation upgraded in place (ADR 0021): a database filled by the service before tenants (Flyway target 62,
 * {@link DatabaseBeforeTenants}) is migrated by this version at start. Every row is kept and DEFAULT's, no tenant
 * column keeps a default, the API serves what was there, and the rollout that was running goes on with the reports.
 */
@QuarkusTest
@TestProfile(TenantMigrationIT.BeforeTenants.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the rows are counted before the last test adds its own
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
    @Order(1)
    void givenRowsWrittenBeforeTenants_whenMigrated_thenEveryRowIsKeptAndDefaults() throws Exception {
        assertThat(query("select current_database()")).isEqualTo(DatabaseBeforeTenants.DATABASE);
        // filled at V62, then migrated in place through V63 (and whatever came after it)
        assertThat(query("select count(*) from flyway_schema_history where success and version = '63'"))
                .isEqualTo("1");
        for (Map.Entry<String, Integer> table : DatabaseBeforeTenants.ROWS.entrySet()) {
            String name = table.getKey();
            String ours = name.equals("release") ? "release_id = '" + RELEASE_ID + "'"
                    : name.equals("device") || name.equals("device_history") ? "device_id like 'old-%'"
                    : "rollout_id = '" + ROLLOUT_ID + "'";
            if (name.equals("rollout")) {
                ours = "id = '" + ROLLOUT_ID + "'";
            }
            if (!name.equals("command_dispatch")) {
                assertThat(query("select count(*) from " + name + " where " + ours + " and tenant_id = 'DEFAULT'"))
                        .as(name + ": every row kept, DEFAULT's").isEqualTo(Integer.toString(table.getValue()));
            }
            assertThat(query("select count(*) from " + name + " where tenant_id <> 'DEFAULT'")).as(name)
                    .isEqualTo("0");
            assertThat(query("select coalesce(column_default, 'none') from information_schema.columns"
                    + " where table_name = '" + name + "' and column_name = 'tenant_id'"))
                    .as(name + ": no default, so no new row can miss its tenant").isEqualTo("none");
        }
        assertThat(query("select coalesce(column_default, 'none') from information_schema.columns"
                + " where table_name = 'outbox' and column_name = 'tenant_id'")).isEqualTo("none");
    }

    @Test
    @Order(2)
    void givenMigratedRows_whenReadThroughTheApi_thenTheyAreServedAsBefore() {
        Api.rollout(ROLLOUT_ID).then().statusCode(200).body("name", equalTo("before tenants"))
                .body("releaseId", equalTo(RELEASE_ID)).body("cohorts[0].cohort", equalTo(COHORT))
                .body("waves[0].devices", equalTo(2));
        List<Long> actions = Api.asViewer().get("/api/v1/rollouts/" + ROLLOUT_ID + "/actions").then().statusCode(200)
                .extract().jsonPath().getList("actionId", Long.class);
        assertThat(actions).contains(OPEN_ACTION, DONE_ACTION);
        Api.asViewer().get("/api/v1/rollouts/" + ROLLOUT_ID + "/history").then().statusCode(200)
                .body("entries.type", hasItems("CREATED", "WAVE_STARTED"));
        Api.asViewer().get("/api/v1/devices/old-b").then().statusCode(200)
                .body("installedReleaseId", equalTo(RELEASE_ID)).body("attributes.site", equalTo("lab"));
        Api.asViewer().get("/api/v1/devices/old-b/history").then().statusCode(200)
                .body("entries.type", hasItems("ACTION_SUCCEEDED"));
        Api.asViewer().get("/api/v1/rollouts/" + ROLLOUT_ID + "/progress").then().statusCode(200)
                .body("rolloutId", equalTo(ROLLOUT_ID));
    }

    @Test
    @Order(3)
    void givenTheRolloutRunningBeforeTenants_whenItsOpenInstallSucceeds_thenItCompletes() {
        TestKafka.send(new DeviceReport.ActionFinished(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, "old-a", OPEN_ACTION, ROLLOUT_ID, 1, COHORT, RELEASE_ID, "2.0.0", false,
                DeviceReport.Outcome.SUCCESS, List.of()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                Api.rollout(ROLLOUT_ID).then().statusCode(200).body("state", equalTo("COMPLETED")));
        Api.asViewer().get("/api/v1/devices/old-a").then().statusCode(200)
                .body("installedReleaseId", equalTo(RELEASE_ID));
    }

    private String query(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
