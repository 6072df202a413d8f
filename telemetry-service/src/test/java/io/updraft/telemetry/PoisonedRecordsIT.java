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
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.RollbackEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a record with a schemaVersion this reader does not apply (999, or none) is parked on the topic's
 * dead-letter topic and counts for nothing — one test per consumed topic, through the SmallRye consumers and the
 * Kafka Streams topology alike. Before, such records were applied: a HealthReported of schemaVersion 999 counted
 * toward a rollback.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class PoisonedRecordsIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @Test
    void device_reports_of_an_unknown_schema_version_are_parked_and_count_for_nothing() {
        String rolloutId = newId("rollout");
        String device = newId("dev");
        List<String> poison = poisoned(EventJson.write(installed(device, rolloutId, "board:P", Outcome.FAILURE)));
        poison.forEach(value -> TestKafka.send(Topics.DEVICE_REPORTS, device, value));
        TestKafka.send(installed(newId("dev"), rolloutId, "board:P", Outcome.SUCCESS));

        awaitParked(Topics.DEVICE_REPORTS, poison);
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].succeeded", is(1))
                .body("cohorts[0].failed", is(0)));
    }

    @Test
    void health_of_an_unknown_schema_version_is_parked_and_counts_for_nothing() {
        String rolloutId = newId("rollout");
        String device = newId("dev");
        TestKafka.send(installed(device, rolloutId, "board:H", Outcome.SUCCESS));
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].succeeded", is(1)));

        List<String> poison = poisoned(EventJson.write(Fixtures.health(device, false, 99, false)));
        poison.forEach(value -> TestKafka.send(Topics.DEVICE_TELEMETRY, device, value));
        TestKafka.send(Fixtures.health(device, true, 4, true));

        awaitParked(Topics.DEVICE_TELEMETRY, poison);
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].healthReports", is(1))
                .body("cohorts[0].crashes", is(4)));
    }

    @Test
    void rollout_events_of_an_unknown_schema_version_are_parked_and_change_no_policy() {
        String rolloutId = newId("rollout");
        List<String> poison = poisoned(EventJson.write(Fixtures.rolloutCreated(rolloutId, 0.9, 50, "board:E")));
        poison.forEach(value -> TestKafka.send(Topics.ROLLOUT_EVENTS, rolloutId, value));
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.3, 7, "board:E"));

        awaitParked(Topics.ROLLOUT_EVENTS, poison);
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("policy.failureRateThreshold", is(0.3f))
                .body("policy.minSampleSize", is(7)));
    }

    @Test
    void rollbacks_of_an_unknown_schema_version_are_parked_and_not_recorded() {
        String rolloutId = newId("rollout");
        RollbackEvent.RollbackTriggered forged = new RollbackEvent.RollbackTriggered(EventMeta.newId(),
                EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId, "board:F", "forged",
                new RollbackEvent.Evidence(3, 3, 1.0, 0.5, 3, EventMeta.now().minusSeconds(10), EventMeta.now()));
        List<String> poison = poisoned(EventJson.write(forged));
        poison.forEach(value -> TestKafka.send(Topics.ROLLBACKS, rolloutId, value));

        awaitParked(Topics.ROLLBACKS, poison);
        asViewer().queryParam("rolloutId", rolloutId).get("/api/v1/rollbacks").then().statusCode(200)
                .body("size()", is(0));
    }

    /** The event's JSON with schemaVersion 999, and without one. */
    private static List<String> poisoned(String json) {
        String current = "\"schemaVersion\":" + UpdraftEvent.SCHEMA_VERSION;
        assertThat(json).contains(current);
        return List.of(json.replace(current, "\"schemaVersion\":999"), json.replace(current, "\"schemaVersionWas\":1"));
    }

    private static void awaitParked(String topic, List<String> poison) {
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> assertThat(TestKafka
                .records(Topics.deadLetter(topic)).stream().map(ConsumerRecord::value).toList()).containsAll(poison));
    }
}
