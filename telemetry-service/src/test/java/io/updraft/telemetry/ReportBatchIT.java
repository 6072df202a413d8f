package io.updraft.telemetry;

import static io.updraft.telemetry.Fixtures.asViewer;
import static io.updraft.telemetry.Fixtures.installed;
import static io.updraft.telemetry.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * device-reports and device-telemetry are consumed a polled batch per transaction: a burst of reports of one rollout
 * all count, each once (a result sent twice under one event id counts once), and the heartbeats among them leave no
 * inbox row — they say nothing about a rollout's health. A batch's cohort counters are gathered and written once per
 * cohort at its end ({@link CohortStatsRepository#gathered}).
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class ReportBatchIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @Inject
    DataSource dataSource;
    @Inject
    CohortStatsRepository stats;

    @Test
    void given_a_burst_of_results_and_heartbeats_when_consumed_then_each_result_counts_once_and_heartbeats_skip_the_inbox()
            throws Exception {
        String rolloutId = newId("rollout");
        List<String> heartbeats = new ArrayList<>();
        List<ActionFinished> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String device = newId("dev");
            DeviceSeen seen = new DeviceSeen(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, device);
            heartbeats.add(seen.eventId());
            TestKafka.send(seen);
            ActionFinished result = installed(device, rolloutId, "board:B", i % 4 == 0 ? Outcome.FAILURE
                    : Outcome.SUCCESS);
            results.add(result);
            TestKafka.send(result);
        }
        TestKafka.send(results.get(1)); // redelivered: the same event id

        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].succeeded", is(30)).body("cohorts[0].failed", is(10)));
        assertThat(inboxRows(results.stream().map(ActionFinished::eventId).toList())).isEqualTo(40);
        assertThat(inboxRows(heartbeats)).isZero();
    }

    @Test
    void given_results_and_health_of_two_cohorts_in_bursts_when_consumed_then_each_cohort_adds_up_its_own() {
        String rolloutId = newId("rollout");
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String device = newId("dev");
            devices.add(device);
            TestKafka.send(installed(device, rolloutId, i % 2 == 0 ? "board:E" : "board:O",
                    i % 3 == 0 ? Outcome.FAILURE : Outcome.SUCCESS));
        }
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts.find { it.cohort == 'board:E' }.succeeded", is(10))
                .body("cohorts.find { it.cohort == 'board:E' }.failed", is(5))
                .body("cohorts.find { it.cohort == 'board:O' }.succeeded", is(10))
                .body("cohorts.find { it.cohort == 'board:O' }.failed", is(5)));
        for (int i = 0; i < devices.size(); i++) {
            // even devices: 2 crashes each and unhealthy; odd ones healthy
            TestKafka.send(Fixtures.health(devices.get(i), true, i % 2 == 0 ? 2 : 0, i % 2 != 0));
        }
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts.find { it.cohort == 'board:E' }.healthReports", is(15))
                .body("cohorts.find { it.cohort == 'board:E' }.unhealthyReports", is(15))
                .body("cohorts.find { it.cohort == 'board:E' }.crashes", is(30))
                .body("cohorts.find { it.cohort == 'board:O' }.healthReports", is(15))
                .body("cohorts.find { it.cohort == 'board:O' }.unhealthyReports", is(0))
                .body("cohorts.find { it.cohort == 'board:O' }.crashes", is(0)));
    }

    @Test
    void given_gathered_counts_when_the_work_ends_then_one_upsert_per_cohort_adds_them_and_keeps_the_first_report()
            throws Exception {
        String rolloutId = newId("rollout");
        CohortKey even = new CohortKey("DEFAULT", rolloutId, "board:E");
        CohortKey odd = new CohortKey("DEFAULT", rolloutId, "board:O");
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> stats.countInstall(even, true, first.plusSeconds(60), first));
        QuarkusTransaction.requiringNew().run(() -> stats.gathered(() -> {
            stats.countInstall(even, false, first.plusSeconds(30), first.plusSeconds(90));
            stats.countInstall(even, true, first.plusSeconds(120), first.plusSeconds(91));
            stats.countHealth(even, true, 3, first.plusSeconds(92));
            stats.countHealth(odd, false, 0, first.plusSeconds(93)); // health only: no first report
            assertThat(row(even)).as("nothing is written before the work ends").isEqualTo("1/0/0/0/0/" + first
                    .plusSeconds(60));
        }));
        assertThat(row(even)).isEqualTo("2/1/1/1/3/" + first.plusSeconds(30));
        assertThat(row(odd)).isEqualTo("0/0/1/0/0/null");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(
                () -> stats.gathered(() -> {
                    stats.countInstall(odd, true, first, first);
                    throw new IllegalStateException("the batch fails");
                }))).hasMessageContaining("the batch fails");
        assertThat(row(odd)).as("a failed work writes nothing").isEqualTo("0/0/1/0/0/null");
    }

    /** succeeded/failed/health/unhealthy/crashes/first report of the cohort's row. */
    private String row(CohortKey key) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select succeeded, failed, health_reports, unhealthy_reports, crashes, first_report_at"
                        + " from cohort_stats where tenant_id = ? and rollout_id = ? and cohort = ?")) {
            query.setString(1, key.tenantId);
            query.setString(2, key.rolloutId);
            query.setString(3, key.cohort);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return "no row";
                }
                java.sql.Timestamp firstAt = rows.getTimestamp(6);
                return rows.getLong(1) + "/" + rows.getLong(2) + "/" + rows.getLong(3) + "/" + rows.getLong(4) + "/"
                        + rows.getLong(5) + "/" + (firstAt == null ? "null" : firstAt.toInstant());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long inboxRows(List<String> eventIds) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select count(*) from processed_event where consumer = 'telemetry-service.device-reports'"
                        + " and event_id = any(?)")) {
            query.setArray(1, connection.createArrayOf("varchar", eventIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
