package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fan-out's two per-device inserts (V54 and the planning insert of {@code AssignmentRepository}): each device is
 * placed in the wave its rank in its stratum says, through the plan's bounds joined as a relation, and the counters per
 * wave x cohort, written from the plan, count exactly those rows; and the wave's installs keep leaving while another
 * transaction holds the rollout row, as a report batch or the wave gate does (the foreign keys dropped by V54 took a
 * key-share lock on it for every inserted action); and a dispatch row put back at its start (as a row written before
 * V54 looks: no {@code created_upto}) sends the wave again and ends.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class FanoutInsertsIT extends WatchedTopicsTest {
    @Inject
    DataSource dataSource;

    @Test
    void each_device_is_in_the_wave_its_rank_in_its_stratum_says() throws Exception {
        // given 45 devices of one model in two regions (stratum = cohort × region) and 9 of a model the release does
        // not accept
        String a = Fleet.uniqueModel();
        String b = Fleet.uniqueModel();
        Map<String, String> regions = new LinkedHashMap<>();
        for (int i = 0; i < 45; i++) {
            regions.put(a + String.format("-%03d", i), i % 3 == 0 ? "us" : "eu");
        }
        for (int i = 0; i < 9; i++) {
            regions.put(b + String.format("-%03d", i), "eu");
        }
        insertDevices(regions);
        String releaseId = a + "-release";
        TestKafka.send(Fleet.release(releaseId, "2.0.0", a));
        Api.awaitRelease(releaseId);
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "waves", List.of(10, 40, 70, 100),
                "filter", "model in (\"" + a + "\", \"" + b + "\")", "cohortBy", List.of("region"),
                "canaryPerCohort", 2, "soakTime", "PT1H"));
        JsonPath preview = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();

        // when the rollout is created
        String rolloutId = Api.createRollout(body).then().statusCode(201).extract().path("id");

        // then in each stratum the devices, by id, fill the waves in order with the previewed counts
        List<String> strata = preview.getList("cohorts.cohort", String.class);
        assertThat(strata).containsExactly(a + ":1 region=eu", a + ":1 region=us");
        for (int s = 0; s < strata.size(); s++) {
            List<Integer> perWave = preview.getList("cohorts[" + s + "].perWave", Integer.class);
            List<Integer> expected = new ArrayList<>();
            for (int wave = 1; wave <= perWave.size(); wave++) {
                for (int k = 0; k < perWave.get(wave - 1); k++) {
                    expected.add(wave);
                }
            }
            assertThat(wavesByDeviceId(rolloutId, strata.get(s))).as(strata.get(s)).isEqualTo(expected);
        }
        assertThat(preview.getList("cohorts[0].perWave", Integer.class)).containsExactly(3, 9, 9, 9);
        assertThat(preview.getList("cohorts[1].perWave", Integer.class)).containsExactly(2, 4, 5, 4);
        // and the counters per wave x cohort, written from the plan, are what rollout_device holds: the two strata
        // are one hardware cohort, summed (5, 13, 14, 13)
        assertThat(perWaveAndCohort(rolloutId, "select wave, cohort, devices from wave_cohort where rollout_id = ?"))
                .isEqualTo(perWaveAndCohort(rolloutId, "select wave, cohort, count(*) from rollout_device"
                        + " where rollout_id = ? group by wave, cohort"))
                .containsExactly(Map.entry("1 " + a + ":1", 5L), Map.entry("2 " + a + ":1", 13L),
                        Map.entry("3 " + a + ":1", 14L), Map.entry("4 " + a + ":1", 13L));
    }

    @Test
    void installs_keep_leaving_while_another_transaction_holds_the_rollout_row() throws Exception {
        // given a wave of 3,000 devices being sent 50 a transaction
        String rolloutId = oneWaveRollout(3_000);

        // when another transaction holds the rollout row FOR UPDATE (as a report batch or the wave gate does)
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("select id from rollout where id = ? for update")) {
                select.setString(1, rolloutId);
                select.executeQuery().close();
            }
            // then the dispatcher still creates and sends every install of the wave meanwhile
            List<InstallRequested> sent = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> commands.events(io.updraft.events.DeviceCommand.class, InstallRequested.class,
                            c -> c.rolloutId().equals(rolloutId)), found -> found.size() >= 3_000);
            assertThat(sent).extracting(InstallRequested::deviceId).doesNotHaveDuplicates().hasSize(3_000);
            lock.rollback();
        }
    }

    @Test
    void a_dispatch_row_put_back_at_its_start_sends_every_install_once_more_and_ends() throws Exception {
        // given a wave of 130 devices (three chunks of 50) that has been sent completely
        String rolloutId = oneWaveRollout(130);
        awaitInstalls(rolloutId, 1, 130);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> dispatchRows(rolloutId) == 0);

        // when its dispatch row is back at its start, as written before V54 (no created_upto: read unbounded)
        try (Connection connection = dataSource.getConnection();
                PreparedStatement replay = connection.prepareStatement("insert into command_dispatch"
                        + " (rollout_id, wave, last_action_id, created_at, tenant_id)"
                        + " values (?, 1, 0, now(), 'DEFAULT')")) {
            replay.setString(1, rolloutId);
            replay.executeUpdate();
        }

        // then every install is sent once more under its event id, no action is created again, and the row ends
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> dispatchRows(rolloutId) == 0);
        List<InstallRequested> sent = awaitInstalls(rolloutId, 1, 260);
        assertThat(sent).hasSize(260);
        Map<String, Long> perEvent = new HashMap<>();
        sent.forEach(command -> perEvent.merge(command.eventId(), 1L, Long::sum));
        assertThat(perEvent).hasSize(130).allSatisfy((event, times) -> assertThat(times).isEqualTo(2));
        assertThat(countOf("device_action", rolloutId)).isEqualTo(130);
    }

    /** A rollout of {@code devices} new devices of a model of its own, in one 100 % wave held by an hour's soak. */
    private String oneWaveRollout(int devices) throws Exception {
        String model = Fleet.uniqueModel();
        Map<String, String> fleet = new LinkedHashMap<>();
        for (int i = 0; i < devices; i++) {
            fleet.put(model + String.format("-%04d", i), "eu");
        }
        insertDevices(fleet);
        String releaseId = model + "-release";
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        Api.awaitRelease(releaseId);
        return Api.createRollout(Map.of("releaseId", releaseId, "filter", "model == \"" + model + "\"",
                "waves", List.of(100), "soakTime", "PT1H")).then().statusCode(201).extract().path("id");
    }

    private long dispatchRows(String rolloutId) throws Exception {
        return countOf("command_dispatch", rolloutId);
    }

    /** "wave cohort" → devices, from a query of (wave, cohort, devices) rows with the rollout id as its parameter. */
    private Map<String, Long> perWaveAndCohort(String rolloutId, String query) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(query)) {
            select.setString(1, rolloutId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getInt(1) + " " + rows.getString(2), rows.getLong(3));
                }
            }
        }
        return counts;
    }

    /** Rows of the rollout in a table with a rollout_id column. */
    private long countOf(String table, String rolloutId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement rows = connection.prepareStatement(
                        "select count(*) from " + table + " where rollout_id = ?")) {
            rows.setString(1, rolloutId);
            try (ResultSet row = rows.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The waves of the rollout's devices of one stratum, in device id order. */
    private List<Integer> wavesByDeviceId(String rolloutId, String stratum) throws Exception {
        List<Integer> waves = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select wave from rollout_device"
                        + " where rollout_id = ? and stratum = ? order by device_id")) {
            query.setString(1, rolloutId);
            query.setString(2, stratum);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    waves.add(rows.getInt(1));
                }
            }
        }
        return waves;
    }

    /** Devices (id → region) written straight into the inventory, as the report consumer would. */
    private void insertDevices(Map<String, String> regions) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into device (device_id, attributes, model, revision, last_seen, tenant_id)
                        values (?, cast(? as jsonb), ?, '1', now(), 'DEFAULT')""")) {
            for (Map.Entry<String, String> device : regions.entrySet()) {
                String model = device.getKey().substring(0, device.getKey().lastIndexOf('-'));
                insert.setString(1, device.getKey());
                insert.setString(2, "{\"model\":\"" + model + "\",\"revision\":\"1\",\"region\":\"" + device.getValue()
                        + "\"}");
                insert.setString(3, model);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
