package io.updraft.rollout.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.ActionType;
import io.updraft.rollout.persistence.DispatchTurn.Install;
import io.updraft.rollout.persistence.DispatchTurn.Wave;
import io.updraft.devstack.testing.UpdraftStackResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's read of the installs the previous turn created ({@link DispatchTurn#createdInstalls}) reads its
 * range of the primary key and nothing else, whatever the planner thinks of the rollout (ADR 0026). The statistics of
 * {@code device_action} always predate a rollout's first turns: its id is in none of them and its actions lie beyond
 * the histogram, so the rollout's other indexes look like they hold one row. Planned that way, the read went through
 * every action of the rollout on every turn: at a million devices, 980,000 rows for each 20,000 sent.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class CreatedInstallsRangeIT {
    @Inject
    DataSource dataSource;

    @Test
    void a_turn_reads_only_its_range_of_a_rollout_newer_than_the_statistics() throws Exception {
        String rolloutId = "range-" + UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // everything below is rolled back: no other test sees these actions
            // given statistics of device_action taken before the rollout existed …
            execute(connection, "analyze device_action");
            // … and 3,000 installs of its one wave created after them, as the dispatcher creates them
            execute(connection, "insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id,"
                    + " version, rollback, state, created_at, updated_at, tenant_id)"
                    + " select nextval('action_id_seq'), '" + rolloutId + "', 'range-device-' || lpad(g::text, 5, '0'),"
                    + " 1, 'range:1', 'range-release', '1.0', false, 'SCHEDULED', now(), now(), 'DEFAULT'"
                    + " from generate_series(1, 3000) g order by g");
            List<Long> actions = actionIds(connection, rolloutId);
            assertThat(actions).hasSize(3_000);

            // when a turn reads the 50 created after the first 1,000 were sent
            DispatchTurn turn = new DispatchTurn(connection);
            turn.customPlans();
            Wave wave = new Wave("DEFAULT", rolloutId, 1, actions.get(999), ActionType.FORCED, "range-release",
                    "range", "1.0", List.of(), null, null, "range-device-01050", false, 1_000, null, null,
                    actions.get(1_049), false, null);
            long before = tuplesFetched(connection);
            List<Install> installs = turn.createdInstalls(wave, 100);
            long fetched = tuplesFetched(connection) - before;
            connection.rollback();

            // then it gets exactly those 50, in order …
            assertThat(installs).extracting(Install::actionId).containsExactlyElementsOf(actions.subList(1_000, 1_050));
            assertThat(installs.get(0).deviceId()).isEqualTo("range-device-01001");
            // … having read the range (and any other rollout's actions in it, while other tests' dispatchers run),
            // not the rollout's 3,000
            assertThat(fetched).as("device_action rows fetched").isLessThan(1_000);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<Long> actionIds(Connection connection, String rolloutId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select action_id from device_action where rollout_id = ? order by action_id")) {
            select.setString(1, rolloutId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Rows of device_action fetched by this transaction so far (index and bitmap scans), and read by seq scans. */
    private static long tuplesFetched(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0)"
                        + " from pg_stat_xact_user_tables where relname = 'device_action'")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }
}
