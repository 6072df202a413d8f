package io.updraft.telemetry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard follows a rollout through a scheduled start and an approval gate, as rollout-service announces them. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class RolloutStateViewIT {

    @Test
    void given_a_scheduled_rollout_with_an_approval_gate_when_its_events_arrive_then_the_dashboard_shows_each_state() {
        String rolloutId = Fixtures.newId("gated");
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.5, 3, "gw-100:1.0"));
        TestKafka.send(new RolloutEvent.RolloutScheduled(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, rolloutId, Instant.parse("2026-12-01T02:00:00Z")));
        awaitState(rolloutId, "SCHEDULED", "starts at 2026-12-01T02:00:00Z");

        TestKafka.send(new RolloutEvent.RolloutStarted(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, rolloutId));
        awaitState(rolloutId, "RUNNING", null);

        TestKafka.send(new RolloutEvent.RolloutAwaitingApproval(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, rolloutId, 2, 7));
        awaitState(rolloutId, "WAITING_FOR_APPROVAL", "wave 2 (7 devices) waits for approval");

        TestKafka.send(new RolloutEvent.RolloutApproved(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, rolloutId, 2, "ops"));
        awaitState(rolloutId, "RUNNING", null);
    }

    @Test
    void given_devices_that_deny_or_let_their_install_expire_then_the_dashboard_counts_where_each_ended() {
        String rolloutId = Fixtures.newId("consent");
        String cohort = "gw-100:1.0";
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.5, 3, cohort));
        TestKafka.send(Fixtures.installed(rolloutId + "-ok", rolloutId, cohort, DeviceReport.Outcome.SUCCESS));
        TestKafka.send(new DeviceReport.ActionDenied(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                rolloutId + "-no", 11, rolloutId, cohort, 451, List.of("not while driving")));
        TestKafka.send(new DeviceReport.ActionExpired(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                rolloutId + "-silent", 12, rolloutId, cohort, DeviceReport.ActionExpired.CONFIRMATION_DEADLINE));
        String viewer = UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer");
        String path = "rollouts.find { it.rolloutId == '" + rolloutId + "' }.devices";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonPath dashboard = given().auth().oauth2(viewer).get("/api/v1/dashboard").then().statusCode(200)
                    .extract().jsonPath();
            org.assertj.core.api.Assertions.assertThat(dashboard.getMap(path))
                    .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("SUCCEEDED", 1, "DENIED", 1, "EXPIRED", 1));
        });
    }

    private static void awaitState(String rolloutId, String state, String reason) {
        String viewer = UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath dashboard = given().auth().oauth2(viewer).get("/api/v1/dashboard").then().statusCode(200)
                    .extract().jsonPath();
            String path = "rollouts.find { it.rolloutId == '" + rolloutId + "' }";
            return state.equals(dashboard.getString(path + ".state"))
                    && java.util.Objects.equals(reason, dashboard.getString(path + ".stateReason"));
        });
    }
}
