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
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A record no consumer can read is parked on {@code <topic>.dlq}; the partition behind it keeps flowing. */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class DeadLetterIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @Test
    void given_garbage_on_device_reports_when_consumed_then_it_is_parked_and_later_reports_still_count() {
        String device = newId("dev");
        String rolloutId = newId("rollout");
        String marker = newId("garbage");

        produceGarbage(Topics.DEVICE_REPORTS, device, marker, "\"deviceId\":\"" + device + "\"");
        TestKafka.send(installed(device, rolloutId, "board:Q", Outcome.FAILURE));

        awaitParked(Topics.DEVICE_REPORTS, marker);
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].failed", is(1)));
    }

    @Test
    void given_garbage_on_device_telemetry_when_consumed_then_it_is_parked_and_later_health_still_counts() {
        String device = newId("dev");
        String rolloutId = newId("rollout");
        String marker = newId("garbage");
        TestKafka.send(installed(device, rolloutId, "board:Q", Outcome.SUCCESS));
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].succeeded", is(1)));

        produceGarbage(Topics.DEVICE_TELEMETRY, device, marker, "\"deviceId\":\"" + device + "\"");
        TestKafka.send(Fixtures.health(device, false, 4, true));

        awaitParked(Topics.DEVICE_TELEMETRY, marker);
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].healthReports", is(1))
                .body("cohorts[0].crashes", is(4)));
    }

    @Test
    void given_garbage_on_rollout_events_when_consumed_then_it_is_parked_and_later_rollouts_still_apply() {
        String rolloutId = newId("rollout");
        String marker = newId("garbage");

        produceGarbage(Topics.ROLLOUT_EVENTS, rolloutId, marker, "\"rolloutId\":\"" + rolloutId + "\"");
        // a policy that would roll back cohorts with no failures is as unusable as unreadable JSON
        TestKafka.send(Topics.ROLLOUT_EVENTS, rolloutId, """
                {"type":"RolloutCreated","eventId":"%s","rolloutId":"%s","cohorts":[],
                 "policy":{"failureRateThreshold":0.0,"minSampleSize":3}}""".formatted(marker + "-policy", rolloutId));
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.3, 7, "board:R"));

        awaitParked(Topics.ROLLOUT_EVENTS, marker);
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> TestKafka
                .records(Topics.deadLetter(Topics.ROLLOUT_EVENTS)).stream()
                .anyMatch(r -> r.value().contains(marker + "-policy")));
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("policy.failureRateThreshold", is(0.3f))
                .body("policy.minSampleSize", is(7))
                .body("cohorts[0].cohort", is("board:R")));
    }

    @Test
    void given_garbage_on_rollbacks_when_consumed_then_it_is_parked_and_later_decisions_are_still_recorded() {
        String rolloutId = newId("rollout");
        String marker = newId("garbage");

        produceGarbage(Topics.ROLLBACKS, rolloutId, marker, "\"rolloutId\":\"" + rolloutId + "\"");
        for (int i = 0; i < 3; i++) {
            TestKafka.send(installed(newId("dev"), rolloutId, "board:S", Outcome.FAILURE));
        }

        awaitParked(Topics.ROLLBACKS, marker);
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .queryParam("rolloutId", rolloutId).get("/api/v1/rollbacks").then().statusCode(200)
                .body("size()", is(1))
                .body("[0].cohort", is("board:S")));
    }

    /** Not JSON at all, and JSON naming an event type nobody knows; both keyed like the valid record after them. */
    private static void produceGarbage(String topic, String key, String marker, String keyField) {
        TestKafka.send(topic, key, "{not json " + marker);
        TestKafka.send(topic, key, "{\"type\":\"NoSuchEvent\",\"eventId\":\"" + marker + "\"," + keyField + "}");
    }

    private static void awaitParked(String topic, String marker) {
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            var parked = TestKafka.records(Topics.deadLetter(topic)).stream()
                    .map(ConsumerRecord::value)
                    .filter(value -> value.contains(marker))
                    .toList();
            assertThat(parked).contains("{not json " + marker).anyMatch(v -> v.contains("NoSuchEvent"));
        });
    }
}
