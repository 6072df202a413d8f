package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.RolloutEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Per-wave success/error thresholds and the error action (PAUSE or ABORT) of a soaked wave, on the real stack. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class WaveThresholdsIT extends WatchedTopicsTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void given_a_wave_failing_above_its_own_threshold_with_abort_then_the_rollout_is_aborted_like_an_operator_would() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 10);
        // wave 1 (5 devices) soaks once 3 finished; its own threshold 0.2 is far stricter than the rollout's 0.9
        String id = create(releaseId, model, List.of(Map.of("percent", 50, "successThreshold", 0.6,
                "errorThreshold", 0.2, "errorAction", "ABORT"), 100), Map.of("errorThreshold", 0.9))
                .then().statusCode(201)
                .body("waves.errorThreshold", contains(0.2f, 0.9f))
                .body("waves.successThreshold", contains(0.6f, 1.0f))
                .body("waves.errorAction", contains("ABORT", "PAUSE")).extract().path("id");
        List<InstallRequested> wave1 = awaitInstalls(id, 1, 5);

        wave1.subList(0, 3).forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.FAILURE)));

        RolloutEvent.RolloutAborted aborted = awaitEvent(id, RolloutEvent.RolloutAborted.class);
        assertThat(aborted.reason()).contains("wave 1", "failure ratio 1.000", "(3 of 3)", "error threshold 0.2");
        // the judged wave and the one that never started end ABORTED
        Api.rollout(id).then().body("state", equalTo("ABORTED")).body("waves.state", contains("ABORTED", "ABORTED"));
        // the two devices of wave 1 still pending get CancelRequested (the operator's abort), nobody else
        Set<String> pending = wave1.subList(3, 5).stream().map(InstallRequested::deviceId).collect(Collectors.toSet());
        List<CancelRequested> cancels = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, CancelRequested.class,
                        c -> c.rolloutId().equals(id)), found -> found.size() >= 2);
        assertThat(cancels).extracting(CancelRequested::deviceId).containsExactlyInAnyOrderElementsOf(pending);
        assertThat(cancels).extracting(CancelRequested::reason).containsOnly(aborted.reason());
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.wave() == 2)).isEmpty();
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutPaused.class,
                e -> e.rolloutId().equals(id))).isEmpty();
    }

    @Test
    void given_a_wave_failing_above_its_threshold_with_pause_then_the_rollout_pauses_and_cancels_nothing() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 10);
        // the rollout would abort; wave 1 says pause
        String id = create(releaseId, model, List.of(Map.of("percent", 50, "successThreshold", 0.6,
                "errorThreshold", 0.2, "errorAction", "pause"), 100), Map.of("errorAction", "ABORT"))
                .then().statusCode(201).body("waves.errorAction", contains("PAUSE", "ABORT")).extract().path("id");
        List<InstallRequested> wave1 = awaitInstalls(id, 1, 5);

        wave1.subList(0, 3).forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.FAILURE)));

        RolloutEvent.RolloutPaused paused = awaitEvent(id, RolloutEvent.RolloutPaused.class);
        assertThat(paused.reason()).contains("wave 1", "failure ratio 1.000", "error threshold 0.2");
        Api.rollout(id).then().body("state", equalTo("PAUSED")).body("waves[0].state", equalTo("SOAKING"));
        assertThat(commands.events(DeviceCommand.class, CancelRequested.class, c -> c.rolloutId().equals(id)))
                .isEmpty();
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutAborted.class,
                e -> e.rolloutId().equals(id))).isEmpty();
        Api.asOperator().post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200);
    }

    @Test
    void given_a_wave_with_a_looser_threshold_than_the_rollouts_then_it_advances_and_the_next_wave_uses_the_rollouts() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 10);
        List<Object> waves = List.of(Map.of("percent", 50, "errorThreshold", 0.8), 100);
        // the preview shows each wave's effective thresholds and action
        JsonPath preview = Api.asViewer().body(body(releaseId, model, waves, Map.of("errorThreshold", 0.1)))
                .post("/api/v1/rollouts/preview").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getList("waves.errorThreshold", Float.class)).containsExactly(0.8f, 0.1f);
        assertThat(preview.getList("waves.successThreshold", Float.class)).containsExactly(1.0f, 1.0f);
        assertThat(preview.getList("waves.errorAction", String.class)).containsExactly("PAUSE", "PAUSE");
        assertThat(preview.getLong("ungrouped")).isZero();

        String id = create(releaseId, model, waves, Map.of("errorThreshold", 0.1)).then().statusCode(201)
                .extract().path("id");
        List<InstallRequested> wave1 = awaitInstalls(id, 1, 5);
        // 2 of 5 fail: 0.4 is above the rollout's 0.1 but within wave 1's own 0.8
        IntStream.range(0, 5).forEach(i -> TestKafka.send(Fleet.finished(wave1.get(i),
                i < 2 ? DeviceReport.Outcome.FAILURE : DeviceReport.Outcome.SUCCESS)));
        List<InstallRequested> wave2 = awaitInstalls(id, 2, 5);
        // wave 2 has no threshold of its own: 1 of 5 failed (0.2) is above the rollout's 0.1, so it pauses
        IntStream.range(0, 5).forEach(i -> TestKafka.send(Fleet.finished(wave2.get(i),
                i < 1 ? DeviceReport.Outcome.FAILURE : DeviceReport.Outcome.SUCCESS)));
        RolloutEvent.RolloutPaused paused = awaitEvent(id, RolloutEvent.RolloutPaused.class);
        assertThat(paused.reason()).contains("wave 2", "failure ratio 0.200", "error threshold 0.1");
        Api.rollout(id).then().body("state", equalTo("PAUSED")).body("currentWave", equalTo(2))
                .body("waves[0].state", equalTo("DONE"));
        Api.asOperator().post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200);
    }

    @Test
    void given_bad_thresholds_or_error_actions_then_creation_is_a_400_naming_them() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 1);
        Api.createRollout(body(releaseId, model, List.of(Map.of("percent", 100, "errorThreshold", 1.5)), Map.of()))
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("waves[0].errorThreshold"));
        Api.createRollout(body(releaseId, model, List.of(Map.of("percent", 100, "successThreshold", "all")), Map.of()))
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("waves[0].successThreshold"));
        Api.createRollout(body(releaseId, model, List.of(Map.of("percent", 100, "errorAction", "explode")), Map.of()))
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("PAUSE or ABORT"));
        Api.createRollout(body(releaseId, model, List.of(100), Map.of("errorAction", "EXPLODE")))
                .then().statusCode(400).contentType(PROBLEM);
        assertThat(Api.asViewer().get("/api/v1/rollouts").jsonPath().getList("releaseId", String.class))
                .doesNotContain(releaseId);
    }

    private static io.restassured.response.Response create(String releaseId, String model, List<Object> waves,
            Map<String, Object> extra) {
        return Api.createRollout(body(releaseId, model, waves, extra));
    }

    private static Map<String, Object> body(String releaseId, String model, List<Object> waves,
            Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", waves, "soakTime", "PT0S", "canaryPerCohort", 0));
        body.putAll(extra);
        return body;
    }

    private static String givenAReleaseAndDevices(String model, int count) {
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "3.0.0", model));
        List<String> devices = IntStream.range(0, count).mapToObj(i -> model + "-" + i).toList();
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        return releaseId;
    }

    private <E extends RolloutEvent> E awaitEvent(String rolloutId, Class<E> type) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> !found.isEmpty()).get(0);
    }
}
