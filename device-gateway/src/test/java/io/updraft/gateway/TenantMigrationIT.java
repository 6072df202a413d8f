package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Tenants arrive in place (ADR 0021): a database the gateway filled before tenants (Flyway target 9: devices, a
 * pending action, a finished one, a TargetToken) is migrated by the gateway at start; every row is kept, is DEFAULT's,
 * and the gateway serves it as before.
 */
@QuarkusTest
@TestProfile(TenantMigrationIT.BeforeTenants.class)
class TenantMigrationIT extends GatewayTestBase {
    static final long PENDING = 7_000_001L;
    static final long FINISHED = 7_000_002L;

    public static class BeforeTenants implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseAtV9.class));
        }
    }

    /** A database of its own on the running stack, migrated to V9 and filled as the gateway of then did. */
    public static class DatabaseAtV9 implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(new RunningStackResource().start());
            String gatewayUrl = config.get("quarkus.datasource.jdbc.url");
            String user = config.getOrDefault("quarkus.datasource.username", "postgres");
            String password = config.getOrDefault("quarkus.datasource.password", "postgres");
            String name = "gateway_v9_" + ProcessHandle.current().pid();
            String url = gatewayUrl.substring(0, gatewayUrl.lastIndexOf('/') + 1) + name;
            try (Connection admin = DriverManager.getConnection(gatewayUrl, user, password);
                    Statement ddl = admin.createStatement()) {
                ddl.execute("drop database if exists " + name);
                ddl.execute("create database " + name);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            Flyway.configure().dataSource(url, user, password)
                    .locations("classpath:db/migration", "classpath:db/updraft-shared").target("9").load().migrate();
            try (Connection db = DriverManager.getConnection(url, user, password)) {
                try (Statement insert = db.createStatement()) {
                    insert.execute("insert into device (controller_id, token_sha256, registered_at) values"
                            + " ('old-1', encode(sha256('old-1-secret'::bytea), 'hex'), now()),"
                            + " ('old-2', null, now())");
                }
                action(db, PENDING, "old-1", "PENDING");
                action(db, FINISHED, "old-2", "FINISHED");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            config.put("quarkus.datasource.jdbc.url", url);
            return config;
        }

        private static void action(Connection db, long actionId, String device, String status) throws SQLException {
            try (PreparedStatement insert = db.prepareStatement("insert into device_action (action_id, controller_id,"
                    + " status, command_event_id, command) values (?, ?, ?, ?, ?)")) {
                var command = Commands.install(device, actionId);
                insert.setLong(1, actionId);
                insert.setString(2, device);
                insert.setString(3, status);
                insert.setString(4, command.eventId());
                insert.setString(5, EventJson.write(command));
                insert.executeUpdate();
            }
        }

        @Override
        public void stop() {
            // dropped (and made again) by the next run's start
        }
    }

    @Inject
    EntityManager entityManager;

    @Test
    void givenADatabaseFromBeforeTenants_whenTheGatewayMigratedIt_thenEveryRowIsDefaultsAndServedAsBefore() {
        assertThat(rows("select tenant_id || ':' || controller_id from device order by controller_id"))
                .containsExactly("DEFAULT:old-1", "DEFAULT:old-2");
        assertThat(rows("select tenant_id || ':' || action_id || ':' || status from device_action order by action_id"))
                .containsExactly("DEFAULT:" + PENDING + ":PENDING", "DEFAULT:" + FINISHED + ":FINISHED");

        DdiDevice old1 = new DdiDevice("old-1");
        assertThat(old1.offeredDeployment()).contains("/deploymentBase/" + PENDING);
        old1.deploymentBase(PENDING);
        // its TargetToken still opens its path
        given().header("Authorization", "TargetToken old-1-secret").get(old1.path()).then().statusCode(200);
        new DdiDevice("old-2").request().get(new DdiDevice("old-2").path() + "/installedBase/" + FINISHED).then()
                .statusCode(200);
        JsonPath device = given().auth().oauth2(UpdraftStackResource.tokens().mint("v", Duration.ofMinutes(5),
                "viewer")).get("/api/v1/devices/old-2").then().statusCode(200).extract().jsonPath();
        assertThat(device.getList("actions.actionId", Long.class)).containsExactly(FINISHED);
    }

    private List<String> rows(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(sql, String.class)
                .getResultList());
    }
}
