package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RolloutFlowIT extends WatchedTopicsTest {
    @Test
    void given_two_cohorts_when_a_two_wave_rollout_runs_and_every_device_succeeds_then_it_completes() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        List<String> devices = List.of(model + "-a", model + "-b", model + "-c", model + "-d");
        for (int i = 0; i < devices.size(); i++) {
            TestKafka.send(Fleet.registered(devices.get(i), model, i < 2 ? "1" : "2"));
        }
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));

        io.restassured.response.Response response = Api.createRollout(Map.of("releaseId", releaseId,
                "target", Map.of("model", model), "waves", List.of(50, 100), "soakTime", "PT1S",
                // one canary device per cohort: with the default (3) these 2-device cohorts would all be in wave 1
                "canaryPerCohort", 1));
        String rolloutId = response.then().statusCode(201).extract().path("id");
        response.then().header("Location", endsWith("/api/v1/rollouts/" + rolloutId))
                .body("state", org.hamcrest.Matchers.equalTo("RUNNING"))
                .body("waves.devices", org.hamcrest.Matchers.contains(2, 2));

        List<InstallRequested> wave1 = awaitInstalls(rolloutId, 1, 2);
        assertThat(wave1).extracting(InstallRequested::cohort).containsExactlyInAnyOrder(model + ":1", model + ":2");
        assertThat(wave1).allSatisfy(command -> {
            assertThat(command.rollback()).isFalse();
            assertThat(command.releaseId()).isEqualTo(releaseId);
            assertThat(command.version()).isEqualTo("2.0.0");
            assertThat(command.artifacts()).hasSize(1);
            assertThat(command.artifacts().get(0).role()).isEqualTo("full"); // carried from ReleasePublished
        });
        RolloutEvent.RolloutCreated created = awaitRolloutEvent(rolloutId, RolloutEvent.RolloutCreated.class, 1).get(0);
        assertThat(created.deviceCount()).isEqualTo(4);
        assertThat(created.waveCount()).isEqualTo(2);
        assertThat(created.cohorts()).containsExactly(model + ":1", model + ":2");

        wave1.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));
        List<InstallRequested> wave2 = awaitInstalls(rolloutId, 2, 2);
        assertThat(wave2).extracting(InstallRequested::deviceId).doesNotContainAnyElementsOf(
                wave1.stream().map(InstallRequested::deviceId).toList());
        wave2.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));

        RolloutEvent.RolloutCompleted completed = awaitRolloutEvent(rolloutId, RolloutEvent.RolloutCompleted.class, 1)
                .get(0);
        assertThat(completed.succeeded()).isEqualTo(4);
        assertThat(completed.failed()).isZero();
        assertThat(completed.rolledBackCohorts()).isEmpty();
        assertThat(awaitRolloutEvent(rolloutId, RolloutEvent.RolloutGroupStarted.class, 2))
                .extracting(RolloutEvent.RolloutGroupStarted::wave).containsExactly(1, 2);

        JsonPath view = Api.rollout(rolloutId).then().statusCode(200).extract().jsonPath();
        assertThat(view.getString("state")).isEqualTo("COMPLETED");
        assertThat(view.getList("waves.state")).containsExactly("DONE", "DONE");
        assertThat(view.getList("waves.succeeded", Integer.class)).containsExactly(2, 2);
        List<Map<String, Object>> actions = Api.asViewer().get("/api/v1/rollouts/" + rolloutId + "/actions")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(actions).hasSize(4).extracting(a -> a.get("deviceId")).doesNotHaveDuplicates();
        Api.awaitDevice(devices.get(3), releaseId);
    }

    @Test
    void given_the_same_finish_report_delivered_twice_when_applied_then_it_counts_once() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "3.0.0", model));
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        TestKafka.send(Fleet.registered(model + "-b", model, "1"));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(model + "-a", null);
        Api.awaitDevice(model + "-b", null);
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S")).then().statusCode(201).extract().path("id");
        InstallRequested first = awaitInstalls(rolloutId, 1, 2).stream()
                .filter(command -> command.deviceId().equals(model + "-a")).findFirst().orElseThrow();

        DeviceReport.ActionFinished finished = Fleet.finished(first, DeviceReport.Outcome.SUCCESS);
        TestKafka.send(finished);
        TestKafka.send(finished);
        // a gateway retry of the same outcome under a new event id must not count either
        TestKafka.send(Fleet.finished(first, DeviceReport.Outcome.SUCCESS));
        DeviceReport.DeviceSeen marker = Fleet.seen(model + "-a");
        TestKafka.send(marker);
        // same key, same partition: once the marker is applied, every report before it has been applied too
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String lastSeen = Api.asViewer().get("/api/v1/devices/" + model + "-a").jsonPath().getString("lastSeen");
            // the database keeps microseconds; compare at millisecond precision
            return lastSeen != null && !java.time.Instant.parse(lastSeen)
                    .isBefore(marker.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        });

        JsonPath view = Api.rollout(rolloutId).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("waves[0].succeeded")).isEqualTo(1);
        assertThat(view.getInt("waves[0].pending")).isEqualTo(1);
        assertThat(view.getString("waves[0].state")).isEqualTo("RUNNING");
        assertThat(view.getString("state")).isEqualTo("RUNNING");
    }

    @Test
    void given_a_wave_that_fails_above_its_error_threshold_when_it_has_soaked_then_the_rollout_pauses_until_resumed() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "4.0.0", model));
        List<String> devices = List.of(model + "-a", model + "-b", model + "-c", model + "-d");
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT1S", "errorThreshold", 0.4, "canaryPerCohort", 0,
                "rollbackPolicy", Map.of("failureRateThreshold", 0.9, "minSampleSize", 2)))
                .then().statusCode(201).extract().path("id");

        // when both wave-1 devices fail (and no cohort rollback comes during the soak)
        awaitInstalls(rolloutId, 1, 2).forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.FAILURE)));

        // then the rollout pauses once the wave has soaked, and wave 2 is not started
        RolloutEvent.RolloutPaused paused = awaitRolloutEvent(rolloutId, RolloutEvent.RolloutPaused.class, 1).get(0);
        assertThat(paused.reason()).contains("wave 1");
        JsonPath view = Api.rollout(rolloutId).then().statusCode(200).extract().jsonPath();
        assertThat(view.getString("state")).isEqualTo("PAUSED");
        assertThat(view.getString("waves[1].state")).isEqualTo("PENDING");
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(rolloutId) && c.wave() == 2)).isEmpty();

        // and an operator's resume accepts the wave's failures: wave 2 starts
        Api.asOperator().post("/api/v1/rollouts/" + rolloutId + "/resume").then().statusCode(200);
        assertThat(awaitInstalls(rolloutId, 2, 2)).hasSize(2);
    }

    private <E extends RolloutEvent> List<E> awaitRolloutEvent(String rolloutId, Class<E> type, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> found.size() >= expected);
    }
}
