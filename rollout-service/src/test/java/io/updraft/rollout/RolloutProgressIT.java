package io.updraft.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.RolloutEvent;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/rollouts/{id}/progress}: counts per cohort and wave equal the rollout's actions, the series holds
 * the history since the rollout started, and the health gate's verdict follows telemetry's windows.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RolloutProgressIT extends WatchedTopicsTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void given_installs_and_a_rolled_back_cohort_then_counts_equal_the_actions_and_the_series_keeps_the_history() {
        String model = Fleet.uniqueModel();
        String previousId = UUID.randomUUID().toString();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(previousId, "1.0.0", model));
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        String one = model + ":1";
        String two = model + ":2";
        for (int i = 0; i < 6; i++) {
            TestKafka.send(Fleet.registered(model + "-" + i, model, i < 3 ? "1" : "2"));
            TestKafka.send(Fleet.installed(model + "-" + i, previousId, "1.0.0"));
        }
        Api.awaitRelease(previousId);
        Api.awaitRelease(releaseId);
        for (int i = 0; i < 6; i++) {
            Api.awaitDevice(model + "-" + i, previousId);
        }
        JsonPath created = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT1H", "errorThreshold", 1.0)).then().statusCode(201).extract().jsonPath();
        String rolloutId = created.getString("id");
        Instant createdAt = Instant.parse(created.getString("createdAt"));
        List<InstallRequested> installs = awaitInstalls(rolloutId, 1, 6);
        List<InstallRequested> ofOne = installs.stream().filter(c -> c.cohort().equals(one)).toList();
        List<InstallRequested> ofTwo = installs.stream().filter(c -> c.cohort().equals(two)).toList();

        // first: two successes in cohort 1; wait until a closed bucket (not the last point) shows them
        ofOne.subList(0, 2).forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.SUCCESS)));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> points = progress(rolloutId).getList("series.points");
            return points.subList(0, points.size() - 1).stream().anyMatch(p -> number(p, "succeeded") == 2);
        });
        Instant beforeSecond = Instant.now();
        // then: a failure in cohort 1, two successes in cohort 2 (its third stays open), and cohort 2 rolled back
        TestKafka.send(Fleet.finished(ofOne.get(2), DeviceReport.Outcome.FAILURE));
        ofTwo.subList(0, 2).forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.SUCCESS)));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> actions(rolloutId)
                .stream().filter(a -> !(Boolean) a.get("rollback") && List.of("SUCCEEDED", "FAILED")
                        .contains(a.get("state"))).count() == 5);
        Api.asOperator().body(Map.of("reason", "by hand")).post("/api/v1/rollouts/" + rolloutId + "/cohorts/" + two
                + "/rollback").then().statusCode(200);
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> actions(rolloutId)
                .stream().filter(a -> (Boolean) a.get("rollback")).count() == 2);

        JsonPath progress = progress(rolloutId);
        List<Map<String, Object>> actions = actions(rolloutId);
        // counts per cohort and per wave x cohort, installs and rollbacks apart, equal the actions themselves
        for (String cohort : List.of(one, two)) {
            assertThat(counts(progress, "cohorts.find { it.cohort == '" + cohort + "' }.installs"))
                    .isEqualTo(tally(actions, cohort, false));
            assertThat(counts(progress, "cohorts.find { it.cohort == '" + cohort + "' }.rollbacks"))
                    .isEqualTo(tally(actions, cohort, true));
            assertThat(counts(progress, "waves.find { it.wave == 1 }.cohorts.find { it.cohort == '" + cohort
                    + "' }.installs")).isEqualTo(tally(actions, cohort, false));
        }
        assertThat(tally(actions, one, false)).containsEntry("SUCCEEDED", 2L).containsEntry("FAILED", 1L);
        assertThat(tally(actions, two, false)).containsEntry("SUCCEEDED", 2L).containsEntry("CANCELING", 1L);
        assertThat(tally(actions, two, true)).containsEntry("SCHEDULED", 2L);
        assertThat(progress.getString("cohorts.find { it.cohort == '" + two + "' }.state")).isEqualTo("ROLLED_BACK");
        assertThat(progress.getInt("cohorts.find { it.cohort == '" + one + "' }.devices")).isEqualTo(3);
        assertThat(progress.getLong("rollbackActions.SCHEDULED")).isEqualTo(2);
        assertThat(progress.getString("gate.state")).isEqualTo("NOT_GATED");

        // the series: from the rollout's start, cumulative, monotone, bounded; its last point is the totals now
        List<Map<String, Object>> points = progress.getList("series.points");
        assertThat(Instant.parse(progress.getString("series.from"))).isEqualTo(createdAt);
        assertThat(points).hasSizeBetween(2, 120);
        assertThat(points.get(0)).containsEntry("at", progress.getString("series.from"));
        assertThat(List.of(number(points.get(0), "dispatched"), number(points.get(0), "succeeded"),
                number(points.get(0), "failed"))).containsOnly(0L);
        for (int i = 1; i < points.size(); i++) {
            Map<String, Object> before = points.get(i - 1);
            Map<String, Object> point = points.get(i);
            assertThat(Instant.parse((String) point.get("at"))).isAfter(Instant.parse((String) before.get("at")));
            for (String series : List.of("dispatched", "succeeded", "failed")) {
                assertThat(number(point, series)).isGreaterThanOrEqualTo(number(before, series));
            }
        }
        Map<String, Object> last = points.get(points.size() - 1);
        assertThat(number(last, "dispatched")).isEqualTo(6);
        assertThat(number(last, "succeeded")).isEqualTo(4);
        assertThat(number(last, "failed")).isEqualTo(1);
        // history from before: a closed bucket after the first successes and before the second batch shows 2, 0
        assertThat(points.subList(0, points.size() - 1))
                .anyMatch(p -> number(p, "succeeded") == 2 && number(p, "failed") == 0);
        // an action's updated_at is when it ended: nothing that ended later counts at an earlier point
        points.stream().filter(p -> !Instant.parse((String) p.get("at")).isAfter(beforeSecond))
                .forEach(p -> assertThat(number(p, "succeeded")).isLessThanOrEqualTo(2));
    }

    @Test
    void given_unknown_or_hostile_ids_or_no_role_then_404_400_401_403_problems() {
        Api.asViewer().get("/api/v1/rollouts/" + UUID.randomUUID() + "/progress").then().statusCode(404)
                .contentType(PROBLEM);
        for (String id : List.of("%00", "a%00b", "a%0D%0Ab", "%1B", "a%2Fb", "x".repeat(65))) {
            Api.asViewer().urlEncodingEnabled(false).get("/api/v1/rollouts/" + id + "/progress").then()
                    .statusCode(org.hamcrest.Matchers.oneOf(400, 404)).contentType(PROBLEM);
        }
        for (String id : List.of("%00", "a%00b", "a%0D%0Ab", "%1B", "x".repeat(65))) {
            Api.asViewer().urlEncodingEnabled(false).get("/api/v1/rollouts/" + id + "/progress").then()
                    .statusCode(400).contentType(PROBLEM);
        }
        String id = Api.rolloutOfOneDevice(Fleet.uniqueModel());
        given().get("/api/v1/rollouts/" + id + "/progress").then().statusCode(401).contentType(PROBLEM);
        String noRole = UpdraftStackResource.tokens().mint("nobody", Duration.ofMinutes(5), "device");
        given().auth().oauth2(noRole).get("/api/v1/rollouts/" + id + "/progress").then().statusCode(403);
        Api.asViewer().get("/api/v1/rollouts/" + id + "/progress").then().statusCode(200);
    }

    @Test
    void given_a_health_gate_then_the_verdict_goes_waiting_passing_breached_and_accepted() {
        String model = Fleet.uniqueModel();
        String cohort = model + ":1";
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        for (int i = 0; i < 4; i++) {
            TestKafka.send(Fleet.registered(model + "-" + i, model, "1"));
        }
        Api.awaitRelease(releaseId);
        for (int i = 0; i < 4; i++) {
            Api.awaitDevice(model + "-" + i, null);
        }
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT1S", "canaryPerCohort", 0, "healthGate",
                Map.of("maxFailureRate", 0.2, "minReports", 2, "requireWindow", true)));
        String rolloutId = Api.createRollout(body).then().statusCode(201).extract().path("id");
        awaitInstalls(rolloutId, 1, 2);

        JsonPath waiting = progress(rolloutId);
        assertThat(waiting.getString("gate.state")).isEqualTo("WAITING");
        assertThat(waiting.getInt("gate.wave")).isEqualTo(1);
        assertThat(waiting.getBoolean("gate.holdsWave")).isTrue();
        assertThat(waiting.getString("gate.detail")).contains("requireWindow holds the wave");
        assertThat(waiting.getFloat("healthGate.maxFailureRate")).isEqualTo(0.2f);

        // a window within bounds while wave 1 runs: 1 install, below minReports
        HealthWindowClosed within = window(rolloutId, new CohortHealth(cohort, 1, 0, 0.0, 0, 0, 0, false));
        TestKafka.send(within);
        JsonPath passing = awaitGate(rolloutId, "PASSING");
        assertThat(Instant.parse(passing.getString("gate.windowEnd"))).isEqualTo(within.windowEnd());
        assertThat(passing.getLong("gate.cohorts.find { it.cohort == '" + cohort + "' }.succeeded")).isEqualTo(1);
        assertThat(passing.getFloat("gate.cohorts.find { it.cohort == '" + cohort + "' }.failureRate"))
                .isEqualTo(0f);
        assertThat(passing.getString("gate.breach")).isNull();
        assertThat(passing.getBoolean("gate.holdsWave")).isTrue(); // requireWindow: a window after the soak

        // 2 ok, 2 failed: 0.5 > 0.2 over 4 installs
        HealthWindowClosed breaking = window(rolloutId, new CohortHealth(cohort, 2, 2, 0.5, 0, 0, 0, false));
        TestKafka.send(breaking);
        RolloutEvent.RolloutPaused paused = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutPaused.class,
                        e -> e.rolloutId().equals(rolloutId)), found -> !found.isEmpty()).get(0);
        JsonPath breached = awaitGate(rolloutId, "BREACHED");
        assertThat(paused.reason()).isEqualTo(breached.getString("gate.breach") + " (wave 1)");
        assertThat(breached.getString("gate.bound")).isEqualTo("maxFailureRate");
        assertThat(Instant.parse(breached.getString("gate.windowEnd"))).isEqualTo(breaking.windowEnd());
        assertThat(breached.getBoolean("gate.accepted")).isFalse();
        assertThat(breached.getBoolean("gate.holdsWave")).isTrue();
        assertThat(breached.getFloat("gate.cohorts.find { it.cohort == '" + cohort + "' }.failureRate"))
                .isEqualTo(0.5f);
        assertThat(breached.getString("gate.cohorts.find { it.cohort == '" + cohort + "' }.breaks"))
                .contains("maxFailureRate 0.2", "over 4 installs");

        Api.asOperator().body(Map.of("reason", "known flaky lab")).post("/api/v1/rollouts/" + rolloutId + "/resume")
                .then().statusCode(200);
        JsonPath accepted = progress(rolloutId);
        assertThat(accepted.getString("gate.state")).isEqualTo("BREACHED");
        assertThat(accepted.getBoolean("gate.accepted")).isTrue();
        assertThat(accepted.getBoolean("gate.holdsWave")).isFalse();
        assertThat(accepted.getString("gate.detail")).contains("accepted by a resume");
    }

    private static JsonPath awaitGate(String rolloutId, String state) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> progress(rolloutId), p -> state.equals(p.getString("gate.state")));
    }

    private static JsonPath progress(String rolloutId) {
        return Api.asViewer().get("/api/v1/rollouts/" + rolloutId + "/progress").then().statusCode(200).extract()
                .jsonPath();
    }

    private static List<Map<String, Object>> actions(String rolloutId) {
        return Api.asViewer().get("/api/v1/rollouts/" + rolloutId + "/actions").then().statusCode(200).extract()
                .jsonPath().getList("$");
    }

    /** The actions of a cohort and kind by state, every state present (as the endpoint answers). */
    private static Map<String, Long> tally(List<Map<String, Object>> actions, String cohort, boolean rollback) {
        Map<String, Long> counts = new TreeMap<>();
        for (io.updraft.rollout.domain.ActionState state : io.updraft.rollout.domain.ActionState.values()) {
            counts.put(state.name(), 0L);
        }
        counts.putAll(actions.stream().filter(a -> cohort.equals(a.get("cohort")) && rollback == (Boolean) a.get(
                "rollback")).collect(Collectors.groupingBy(a -> (String) a.get("state"), Collectors.counting())));
        return counts;
    }

    private static Map<String, Long> counts(JsonPath progress, String path) {
        Map<String, Object> raw = progress.getMap(path);
        assertThat(raw).as(path).isNotNull();
        Map<String, Long> counts = new TreeMap<>();
        raw.forEach((state, n) -> counts.put(state, ((Number) n).longValue()));
        return counts;
    }

    private static long number(Map<String, Object> point, String key) {
        return ((Number) point.get(key)).longValue();
    }

    private static HealthWindowClosed window(String rolloutId, CohortHealth... cohorts) {
        Instant end = EventMeta.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return new HealthWindowClosed(EventMeta.newId(), end, UpdraftEvent.SCHEMA_VERSION, rolloutId,
                end.minusSeconds(1), end, List.of(cohorts));
    }
}
