package io.updraft.telemetry;

import static io.restassured.RestAssured.given;
import static io.updraft.telemetry.Fixtures.asViewer;
import static io.updraft.telemetry.Fixtures.installed;
import static io.updraft.telemetry.Fixtures.newId;
import static io.updraft.telemetry.Fixtures.rolledBack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RollbackEvent;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class RollbackTriggerIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @Test
    void given_a_failing_cohort_when_its_reports_arrive_again_and_more_fail_then_exactly_one_rollback_for_it() {
        String rolloutId = newId("rollout");
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.5, 3, "board:A", "board:B"));
        List<ActionFinished> firstReports = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            firstReports.add(installed(newId("dev-a"), rolloutId, "board:A", Outcome.SUCCESS));
            firstReports.add(installed(newId("dev-b"), rolloutId, "board:B", Outcome.FAILURE));
        }
        firstReports.forEach(TestKafka::send);
        // rollback installs report on the old release: they must neither count nor trigger, even when failing
        firstReports.stream().filter(r -> r.cohort().equals("board:A")).limit(3)
                .forEach(r -> TestKafka.send(rolledBack(r.deviceId(), rolloutId, "board:A", Outcome.FAILURE)));

        await().atMost(AT_MOST).pollInterval(POLL).until(() -> rollbacksOf(rolloutId).size() >= 1);

        // when: every report is delivered again (same event ids), one is republished under a new event id, and
        // each device then reports one more install. Same key, so each device's redelivery is applied first.
        TestKafka.send(Fixtures.republished(firstReports.get(0)));
        for (ActionFinished report : firstReports) {
            TestKafka.send(report);
            TestKafka.send(installed(report.deviceId(), rolloutId, report.cohort(), report.outcome()));
        }

        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            JsonPath health = health(rolloutId);
            assertThat(health.getLong("cohorts.find { it.cohort == 'board:B' }.failed")).isGreaterThanOrEqualTo(10);
            assertThat(health.getLong("cohorts.find { it.cohort == 'board:A' }.succeeded")).isGreaterThanOrEqualTo(10);
            // the topology's decision, read back into the database the REST API answers from
            assertThat(health.getBoolean("cohorts.find { it.cohort == 'board:B' }.rolledBack")).isTrue();
        });
        JsonPath health = health(rolloutId);
        assertThat(health.getLong("cohorts.find { it.cohort == 'board:B' }.failed")).isEqualTo(10);
        assertThat(health.getLong("cohorts.find { it.cohort == 'board:B' }.succeeded")).isZero();
        assertThat(health.getLong("cohorts.find { it.cohort == 'board:A' }.succeeded")).isEqualTo(10);
        assertThat(health.getLong("cohorts.find { it.cohort == 'board:A' }.failed")).isZero();
        assertThat(health.getBoolean("cohorts.find { it.cohort == 'board:A' }.rolledBack")).isFalse();
        assertThat(health.getBoolean("cohorts.find { it.cohort == 'board:B' }.rolledBack")).isTrue();

        List<RollbackTriggered> rollbacks = rollbacksOf(rolloutId);
        assertThat(rollbacks).hasSize(1);
        RollbackTriggered trigger = rollbacks.get(0);
        assertThat(trigger.cohort()).isEqualTo("board:B");
        assertThat(trigger.reason()).startsWith("failedInstalls: ");
        assertThat(trigger.evidence().failed()).isGreaterThanOrEqualTo(3);
        assertThat(trigger.evidence().succeeded()).isZero();
        assertThat(trigger.evidence().threshold()).isEqualTo(0.5);
        assertThat(trigger.evidence().minSampleSize()).isEqualTo(3);
        assertThat(trigger.evidence().windowStart()).isBeforeOrEqualTo(trigger.evidence().windowEnd());

        asViewer().queryParam("rolloutId", rolloutId).get("/api/v1/rollbacks").then()
                .statusCode(200)
                .body("size()", is(1))
                .body("[0].rolloutId", is(rolloutId))
                .body("[0].cohort", is("board:B"))
                .body("[0].reason", startsWith("failedInstalls: "))
                .body("[0].failed", is((int) trigger.evidence().failed()))
                .body("[0].succeeded", is(0))
                .body("[0].rule", is("failedInstalls"))
                .body("[0].devicesCounted", is((int) trigger.evidence().devicesCounted()))
                .body("[0].devicesJudged", is((int) trigger.evidence().devicesJudged()))
                .body("[0].windowEnd", org.hamcrest.Matchers.notNullValue());
        asViewer().get("/api/v1/rollouts/{id}/health", rolloutId).then()
                .body("cohorts.find { it.cohort == 'board:A' }.rollbackReason", nullValue())
                .body("cohorts.find { it.cohort == 'board:B' }.rollbackReason", startsWith("failedInstalls"));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("updraft_rollbacks_triggered_total"));
    }

    @Test
    void given_reports_judged_by_the_defaults_when_the_rollout_policy_arrives_then_the_cohort_is_judged_again() {
        String rolloutId = newId("rollout");
        // defaults 0.5 over 3: one failure in four is healthy
        TestKafka.send(installed(newId("dev"), rolloutId, "board:C", Outcome.FAILURE));
        for (int i = 0; i < 3; i++) {
            TestKafka.send(installed(newId("dev"), rolloutId, "board:C", Outcome.SUCCESS));
        }
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            JsonPath health = health(rolloutId);
            assertThat(health.getLong("cohorts.find { it.cohort == 'board:C' }.succeeded")).isEqualTo(3);
            assertThat(health.getLong("cohorts.find { it.cohort == 'board:C' }.failed")).isEqualTo(1);
            assertThat(health.getDouble("policy.failureRateThreshold")).isEqualTo(0.5);
            assertThat(health.getInt("policy.minSampleSize")).isEqualTo(3);
        });
        assertThat(rollbacksOf(rolloutId)).isEmpty();

        // when: the rollout's own, stricter policy arrives; exactly at its threshold
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.25, 4, "board:C", "board:D"));

        await().atMost(AT_MOST).pollInterval(POLL).until(() -> !rollbacksOf(rolloutId).isEmpty());
        RollbackTriggered trigger = rollbacksOf(rolloutId).get(0);
        assertThat(trigger.cohort()).isEqualTo("board:C");
        assertThat(trigger.reason()).isEqualTo("failedInstalls: 1 of 4 installs failed (0.25 >= 0.25, sample 4)");
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then()
                .statusCode(200)
                .body("cohorts.find { it.cohort == 'board:C' }.rolledBack", is(true))
                .body("cohorts.find { it.cohort == 'board:D' }.rolledBack", is(false)));
        asViewer().get("/api/v1/rollouts/{id}/health", rolloutId).then()
                .statusCode(200)
                .body("policy.failureRateThreshold", is(0.25f))
                .body("policy.minSampleSize", is(4))
                .body("cohorts.cohort", hasItem("board:D"));
    }

    private static JsonPath health(String rolloutId) {
        return asViewer().get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200).extract().jsonPath();
    }

    private static List<RollbackTriggered> rollbacksOf(String rolloutId) {
        return TestKafka.recordsWithKey(Topics.ROLLBACKS, rolloutId).stream()
                .map(r -> EventJson.read(r.value(), RollbackEvent.class))
                .map(RollbackTriggered.class::cast)
                .toList();
    }
}
