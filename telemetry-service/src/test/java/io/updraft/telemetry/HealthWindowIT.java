package io.updraft.telemetry;

import static io.restassured.RestAssured.given;
import static io.updraft.telemetry.Fixtures.asViewer;
import static io.updraft.telemetry.Fixtures.health;
import static io.updraft.telemetry.Fixtures.installed;
import static io.updraft.telemetry.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.FleetHealthEvent;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class HealthWindowIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @Test
    void given_a_running_rollout_when_health_is_reported_then_windows_carry_it_until_the_rollout_completes() {
        String rolloutId = newId("rollout");
        String device = newId("dev");
        String cohort = "board:W";
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.5, 3, cohort));
        TestKafka.send(installed(device, rolloutId, cohort, Outcome.SUCCESS));
        // health counts for the rollout the device runs: wait until the install result assigned it
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                .body("cohorts[0].succeeded", is(1)));

        HealthReported crashed = health(device, false, 2, true);
        HealthReported fine = health(device, true, 0, true);
        TestKafka.send(crashed);
        TestKafka.send(fine);
        TestKafka.send(crashed); // redelivered: same event id, no second effect
        TestKafka.send(health(device, true, 1, false));

        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> assertThat(windowsOf(rolloutId))
                .anySatisfy(window -> assertThat(window.cohorts()).singleElement().satisfies(health -> {
                    assertThat(health.cohort()).isEqualTo(cohort);
                    assertThat(health.succeeded()).isEqualTo(1);
                    assertThat(health.failed()).isZero();
                    assertThat(health.healthReports()).isEqualTo(3);
                    assertThat(health.unhealthyReports()).isEqualTo(2);
                    assertThat(health.crashes()).isEqualTo(3);
                    assertThat(health.rolledBack()).isFalse();
                })));
        asViewer().get("/api/v1/rollouts/{id}/health", rolloutId).then()
                .body("cohorts[0].healthReports", is(3))
                .body("cohorts[0].unhealthyReports", is(2))
                .body("cohorts[0].crashes", is(3));
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("updraft_cohort_failure_rate{cohort=\"" + cohort + "\",rollout=\"" + rolloutId)));

        // when the rollout completes: one last window, then none
        TestKafka.send(Fixtures.rolloutCompleted(rolloutId));
        AtomicInteger previous = new AtomicInteger(-1);
        await().atMost(AT_MOST).pollInterval(Duration.ofSeconds(3)).until(() -> {
            int now = windowsOf(rolloutId).size();
            return previous.getAndSet(now) == now; // no window in 3 s, while a running rollout gets one a second
        });
        List<HealthWindowClosed> windows = windowsOf(rolloutId);
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i).windowStart()).isEqualTo(windows.get(i - 1).windowEnd());
        }
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> given().get("/q/metrics").then()
                .body(not(containsString("rollout=\"" + rolloutId))));
    }

    private static List<HealthWindowClosed> windowsOf(String rolloutId) {
        return TestKafka.recordsWithKey(Topics.FLEET_HEALTH, rolloutId).stream()
                .map(r -> EventJson.read(r.value(), FleetHealthEvent.class))
                .map(HealthWindowClosed.class::cast)
                .toList();
    }

}
