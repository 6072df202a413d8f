package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.Test;

/** Manual approval before a wave: WAITING_FOR_APPROVAL, approve, and pause / resume / abort while waiting. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class ApprovalIT extends WatchedTopicsTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void given_approval_before_each_wave_then_no_wave_starts_until_an_operator_approves_it() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndFourDevices(model);

        // when the rollout is created, it waits for wave 1's approval and sends nothing
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "approval", "BEFORE_EACH_WAVE", "soakTime", "PT0S", "canaryPerCohort", 0))
                .then().statusCode(201).body("state", equalTo("WAITING_FOR_APPROVAL")).body("currentWave", equalTo(1))
                .body("waves.approval", org.hamcrest.Matchers.contains(true, true))
                .body("waves.state", org.hamcrest.Matchers.contains("PENDING", "PENDING")).extract().path("id");
        String path = "/api/v1/rollouts/" + id;
        RolloutEvent.RolloutAwaitingApproval waiting = awaitEvents(id, RolloutEvent.RolloutAwaitingApproval.class, 1)
                .get(0);
        assertThat(waiting.wave()).isEqualTo(1);
        assertThat(waiting.deviceCount()).isEqualTo(2);
        Api.asViewer().get(path + "/actions").then().statusCode(200).body("size()", equalTo(0));

        // pause and resume while waiting: it waits again (resuming is not approving)
        Api.asOperator().body(Map.of("reason", "hold")).post(path + "/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED"));
        Api.asOperator().body("{}").post(path + "/approve").then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("PAUSED"));
        Api.asOperator().post(path + "/resume").then().statusCode(200).body("state", equalTo("WAITING_FOR_APPROVAL"));
        assertThat(awaitEvents(id, RolloutEvent.RolloutAwaitingApproval.class, 2)).extracting(e -> e.wave())
                .containsExactly(1, 1);
        Api.asViewer().get(path + "/actions").then().statusCode(200).body("size()", equalTo(0));

        // approve (as the CLI sends it: an empty object) starts wave 1
        Api.asViewer().body("{}").post(path + "/approve").then().statusCode(403);
        Api.asOperator().body("{}").post(path + "/approve").then().statusCode(200).body("state", equalTo("RUNNING"))
                .body("currentWave", equalTo(1)).body("waves[0].state", equalTo("RUNNING"));
        Api.asOperator().body("{}").post(path + "/approve").then().statusCode(409).contentType(PROBLEM);
        RolloutEvent.RolloutApproved approved = awaitEvents(id, RolloutEvent.RolloutApproved.class, 1).get(0);
        assertThat(approved.wave()).isEqualTo(1);
        assertThat(approved.approvedBy()).isEqualTo("test-operator");
        List<InstallRequested> wave1 = awaitInstalls(id, 1, 2);

        // when wave 1 succeeds and soaks, the rollout waits again, now for wave 2
        wave1.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> "WAITING_FOR_APPROVAL".equals(Api.rollout(id).jsonPath().getString("state")));
        Api.rollout(id).then().body("currentWave", equalTo(2)).body("waves[0].state", equalTo("DONE"))
                .body("waves[1].state", equalTo("PENDING"));
        assertThat(awaitEvents(id, RolloutEvent.RolloutAwaitingApproval.class, 3).get(2).wave()).isEqualTo(2);
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.wave() == 2)).isEmpty();
        Api.asViewer().get(path + "/actions").then().body("size()", equalTo(2));

        Api.asOperator().body(Map.of()).post(path + "/approve").then().statusCode(200).body("state", equalTo("RUNNING"));
        awaitInstalls(id, 2, 2).forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));
        assertThat(awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0).succeeded()).isEqualTo(4);
        assertThat(awaitEvents(id, RolloutEvent.RolloutApproved.class, 2)).extracting(e -> e.wave())
                .containsExactly(1, 2);
        Api.asOperator().body("{}").post(path + "/approve").then().statusCode(409);
        Api.asOperator().body("{}").post("/api/v1/rollouts/" + UUID.randomUUID() + "/approve").then().statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void given_a_rollout_waiting_for_a_flagged_wave_when_aborted_then_that_wave_never_starts() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndFourDevices(model);

        // only wave 2 is flagged; wave 1 starts at once
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, Map.of("percent", 100, "approval", true)), "soakTime", "PT0S",
                "canaryPerCohort", 0))
                .then().statusCode(201).body("state", equalTo("RUNNING"))
                .body("waves.approval", org.hamcrest.Matchers.contains(false, true)).extract().path("id");
        awaitInstalls(id, 1, 2).forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));
        assertThat(awaitEvents(id, RolloutEvent.RolloutAwaitingApproval.class, 1).get(0).wave()).isEqualTo(2);

        Api.asOperator().body(Map.of("reason", "not today")).post("/api/v1/rollouts/" + id + "/abort").then()
                .statusCode(200).body("state", equalTo("ABORTED"))
                .body("waves.state", org.hamcrest.Matchers.contains("DONE", "ABORTED")); // the awaited wave too
        assertThat(awaitEvents(id, RolloutEvent.RolloutAborted.class, 1).get(0).reason()).isEqualTo("not today");
        Api.asOperator().body("{}").post("/api/v1/rollouts/" + id + "/approve").then().statusCode(409);
        Api.asViewer().get("/api/v1/rollouts/" + id + "/actions").then().body("size()", equalTo(2))
                .body("wave", org.hamcrest.Matchers.everyItem(equalTo(1)));
    }

    @Test
    void given_malformed_wave_entries_or_approval_then_creation_is_a_400() {
        List<Map<String, Object>> invalid = List.of(
                Map.of("releaseId", "r", "waves", List.of(Map.of("percent", 50, "approval", "yes"), 100)),
                Map.of("releaseId", "r", "waves", List.of(Map.of("pct", 50), 100)),
                Map.of("releaseId", "r", "waves", List.of(Map.of("percent", 50, "approval", true, "x", 1), 100)),
                Map.of("releaseId", "r", "waves", List.of("50", 100)),
                Map.of("releaseId", "r", "waves", List.of(Map.of("percent", 120, "approval", true))),
                Map.of("releaseId", "r", "approval", "SOMETIMES"));
        for (Map<String, Object> body : invalid) {
            Api.createRollout(body).then().statusCode(400).contentType(PROBLEM);
        }
        Api.createRollout(invalid.get(0)).then().body("detail", containsString("waves[0]"));
    }

    private static String givenAReleaseAndFourDevices(String model) {
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        List<String> devices = List.of(model + "-a", model + "-b", model + "-c", model + "-d");
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        return releaseId;
    }

    private <E extends RolloutEvent> List<E> awaitEvents(String rolloutId, Class<E> type, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> found.size() >= expected);
    }
}
