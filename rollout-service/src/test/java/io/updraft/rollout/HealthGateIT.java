package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The health gate: telemetry's health windows on fleet-health, published here by hand, stop a wave that breaks a bound
 * and hold a soaked wave back until a window arrived (requireWindow).
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class HealthGateIT extends WatchedTopicsTest {

    @Test
    void given_a_window_out_of_bounds_during_the_soak_then_the_rollout_pauses_and_the_next_wave_never_starts() {
        String model = Fleet.uniqueModel();
        String cohort = model + ":1";
        String rolloutId = rolloutOf(model, 4, 0, Map.of("maxFailureRate", 0.2, "minReports", 2,
                "requireWindow", true), Map.of());
        awaitInstalls(rolloutId, 1, 2).forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.SUCCESS)));
        awaitWaveState(rolloutId, 1, "SOAKING");
        // unreadable records before it are parked on fleet-health.dlq; the consumer keeps going
        List<String> garbage = List.of("{not json " + rolloutId, "{\"type\":\"NoSuchWindow\",\"eventId\":\""
                + UUID.randomUUID() + "\",\"rolloutId\":\"" + rolloutId + "\"}");
        garbage.forEach(value -> TestKafka.send(Topics.FLEET_HEALTH, rolloutId, value));

        TestKafka.send(window(rolloutId, new CohortHealth(cohort, 2, 2, 0.5, 0, 0, 0, false)));

        RolloutEvent.RolloutPaused paused = awaitEvents(rolloutId, RolloutEvent.RolloutPaused.class).get(0);
        assertThat(paused.reason()).contains("cohort " + cohort, "failure rate 0.500", "maxFailureRate 0.2",
                "over 4 installs", "wave 1");
        assertThat(Api.rollout(rolloutId).jsonPath().getString("state")).isEqualTo("PAUSED");
        // the soak (1 s) is long over and a window arrived: only the breach holds wave 2 back
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> installs(rolloutId, 2)
                .isEmpty());
        assertThat(Api.rollout(rolloutId).jsonPath().getList("waves.state")).containsExactly("SOAKING", "PENDING");
        assertThat(Api.rollout(rolloutId).jsonPath().getFloat("healthGate.maxFailureRate")).isEqualTo(0.2f);
        try (TestKafka.Tail deadLetters = TestKafka.tail(Topics.deadLetter(Topics.FLEET_HEALTH))) {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(deadLetters.values()).containsAll(garbage));
        }
    }

    @Test
    void given_error_action_abort_when_a_window_breaks_a_bound_while_the_wave_runs_then_it_aborts_and_cancels() {
        String model = Fleet.uniqueModel();
        String cohort = model + ":1";
        String rolloutId = rolloutOf(model, 4, 0, Map.of("maxCrashesPerReport", 0.5, "minReports", 3),
                Map.of("errorAction", "ABORT"));
        List<InstallRequested> wave1 = awaitInstalls(rolloutId, 1, 2);
        TestKafka.send(Fleet.finished(wave1.get(0), DeviceReport.Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> Api.rollout(rolloutId).jsonPath().getInt("waves[0].succeeded") == 1);

        TestKafka.send(window(rolloutId, new CohortHealth(cohort, 1, 0, 0.0, 4, 0, 3, false)));

        RolloutEvent.RolloutAborted aborted = awaitEvents(rolloutId, RolloutEvent.RolloutAborted.class).get(0);
        assertThat(aborted.reason()).contains("cohort " + cohort, "crashes per report 0.750",
                "maxCrashesPerReport 0.5", "over 4 health reports");
        List<CancelRequested> cancels = await().atMost(Duration.ofSeconds(30)).until(() -> commands.events(
                DeviceCommand.class, CancelRequested.class, c -> c.rolloutId().equals(rolloutId)), c -> !c.isEmpty());
        assertThat(cancels).extracting(CancelRequested::actionId).containsExactly(wave1.get(1).actionId());
        assertThat(Api.rollout(rolloutId).jsonPath().getString("state")).isEqualTo("ABORTED");
        assertThat(Api.rollout(rolloutId).jsonPath().getList("waves.state"))
                .containsExactly("ABORTED", "ABORTED"); // the running wave and the one after it
    }

    @Test
    void given_require_window_then_a_soaked_wave_waits_for_its_own_window_and_advances_within_bounds() {
        String model = Fleet.uniqueModel();
        String good = model + ":1";
        String rolledBack = model + ":2";
        // two cohorts of 2 devices; wave 1 takes one device of each
        String rolloutId = rolloutOf(model, 4, 2, Map.of("maxFailureRate", 0.5, "minReports", 2,
                "requireWindow", true), Map.of());
        List<InstallRequested> wave1 = awaitInstalls(rolloutId, 1, 2);
        Api.asOperator().body(Map.of("reason", "by hand"))
                .post("/api/v1/rollouts/" + rolloutId + "/cohorts/" + rolledBack + "/rollback").then().statusCode(200);
        wave1.stream().filter(c -> c.cohort().equals(good))
                .forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.SUCCESS)));
        awaitWaveState(rolloutId, 1, "SOAKING");

        // telemetry is silent about this rollout: a window of another rollout does not count
        TestKafka.send(window(UUID.randomUUID().toString(), new CohortHealth(good, 1, 0, 0.0, 0, 0, 0, false)));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> installs(rolloutId, 2)
                .isEmpty());
        assertThat(Api.rollout(rolloutId).jsonPath().getString("state")).isEqualTo("RUNNING");

        // its window: the good cohort within bounds; the rolled-back cohort's failures are not judged
        TestKafka.send(window(rolloutId, new CohortHealth(good, 2, 0, 0.0, 0, 0, 0, false),
                new CohortHealth(rolledBack, 0, 5, 1.0, 0, 0, 0, false)));
        InstallRequested wave2 = awaitInstalls(rolloutId, 2, 1).get(0);
        assertThat(wave2.cohort()).isEqualTo(good);

        // wave 2 is judged from its own baseline (2 ok, 0 failed): 1 failure is below the sample of 2 — also when
        // the same window is delivered again
        HealthWindowClosed oneFailure = window(rolloutId, new CohortHealth(good, 2, 1, 0.33, 0, 0, 0, false));
        TestKafka.send(oneFailure);
        TestKafka.send(oneFailure);
        TestKafka.send(Fleet.finished(wave2, DeviceReport.Outcome.SUCCESS));
        awaitWaveState(rolloutId, 2, "SOAKING");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> "RUNNING".equals(Api.rollout(rolloutId).jsonPath().getString("state")));
        // since wave 2 started: 1 ok, 1 failed = 0.5, within maxFailureRate 0.5
        TestKafka.send(window(rolloutId, new CohortHealth(good, 3, 1, 0.25, 0, 0, 0, false)));

        awaitEvents(rolloutId, RolloutEvent.RolloutCompleted.class);
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutPaused.class,
                e -> e.rolloutId().equals(rolloutId))).isEmpty();
    }

    /**
     * A rollout of {@code devices} devices of a fresh model (revisions 1 and 2 alternating if {@code cohorts} is 2)
     * in waves of 50 and 100 %, soaking 1 s, with the given health gate.
     */
    private static String rolloutOf(String model, int devices, int cohorts, Map<String, Object> healthGate,
            Map<String, Object> extra) {
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        for (int i = 0; i < devices; i++) {
            TestKafka.send(Fleet.registered(model + "-" + i, model, cohorts == 2 && i % 2 == 1 ? "2" : "1"));
        }
        Api.awaitRelease(releaseId);
        for (int i = 0; i < devices; i++) {
            Api.awaitDevice(model + "-" + i, null);
        }
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT1S", "canaryPerCohort", 0, "healthGate", healthGate));
        body.putAll(extra);
        return Api.createRollout(body).then().statusCode(201).extract().path("id");
    }

    private static HealthWindowClosed window(String rolloutId, CohortHealth... cohorts) {
        Instant end = EventMeta.now();
        return new HealthWindowClosed(EventMeta.newId(), end, UpdraftEvent.SCHEMA_VERSION, rolloutId,
                end.minusSeconds(1), end, List.of(cohorts));
    }

    private List<InstallRequested> installs(String rolloutId, int wave) {
        return commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(rolloutId) && c.wave() == wave && !c.rollback());
    }

    private <E extends RolloutEvent> List<E> awaitEvents(String rolloutId, Class<E> type) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> !found.isEmpty());
    }

    private static void awaitWaveState(String rolloutId, int wave, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> state.equals(
                Api.rollout(rolloutId).jsonPath().getString("waves.find { it.wave == " + wave + " }.state")));
    }
}
