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
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * device-reports and device-telemetry are consumed a polled batch per transaction: a burst of reports of one rollout
 * all count, each once (a result sent twice under one event id counts once), and the heartbeats among them leave no
 * inbox row — they say nothing about a rollout's health.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class ReportBatchIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @Inject
    DataSource dataSource;

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
