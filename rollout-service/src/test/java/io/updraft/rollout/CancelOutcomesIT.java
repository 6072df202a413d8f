package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How a canceled install ends here, fed the exact report sequences the gateway publishes for each way a cancel ends
 * (device-gateway's {@code CancelFlowIT} pins them), so both services' APIs end on the same state:
 * CANCELING until the device answers (gateway CANCELING); acknowledged → ActionCanceled → CANCELED (gateway
 * CANCELED); rejected → ActionProgressed("cancel-rejected") → RUNNING, then the install result → SUCCEEDED / FAILED
 * (gateway RUNNING, then FINISHED / FAILED); finished before the device saw the cancel → ActionFinished → SUCCEEDED
 * (gateway FINISHED); no answer → CANCELING (gateway CANCELING).
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class CancelOutcomesIT extends WatchedTopicsTest {
    /** The gateway's final action status → the state this service must show for the same action. */
    private static final Map<String, String> SAME_END = Map.of("CANCELED", "CANCELED", "FINISHED", "SUCCEEDED",
            "FAILED", "FAILED", "CANCELING", "CANCELING", "RUNNING", "RUNNING");

    @Test
    void given_an_aborted_rollout_then_each_install_ends_as_its_device_answered_the_cancel() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        List<String> devices = List.of("acknowledges", "rejects-then-fails", "rejects-then-installs",
                "finished-first", "never-answers", "done-before-abort").stream().map(name -> model + "-" + name).toList();
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT1H", "retries", 1)).then().statusCode(201).extract().path("id");
        Map<String, InstallRequested> installs = new HashMap<>();
        awaitInstalls(rolloutId, 1, devices.size()).forEach(install -> installs.put(install.deviceId(), install));
        InstallRequested doneBeforeAbort = installs.get(model + "-done-before-abort");
        TestKafka.send(Fleet.finished(doneBeforeAbort, Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.rollout(rolloutId).jsonPath().getInt("waves[0].succeeded") == 1);

        // when the operator aborts: five open installs get CancelRequested and wait for their devices' answers
        Api.asOperator().body(Map.of("reason", "stop")).post("/api/v1/rollouts/" + rolloutId + "/abort").then()
                .statusCode(200);
        List<CancelRequested> cancels = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, CancelRequested.class,
                        c -> c.rolloutId().equals(rolloutId)), found -> found.size() >= 5);
        assertThat(cancels).extracting(CancelRequested::deviceId).doesNotContain(doneBeforeAbort.deviceId());
        assertThat(actionStates(rolloutId).values()).containsExactlyInAnyOrder("CANCELING", "CANCELING", "CANCELING",
                "CANCELING", "CANCELING", "SUCCEEDED");

        // and each device answers as the gateway reports it
        InstallRequested acknowledges = installs.get(model + "-acknowledges");
        TestKafka.send(canceled(acknowledges));
        InstallRequested rejectsThenFails = installs.get(model + "-rejects-then-fails");
        TestKafka.send(cancelRejected(rejectsThenFails));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(
                actionStates(rolloutId).get(rejectsThenFails.deviceId())).isEqualTo(SAME_END.get("RUNNING")));
        TestKafka.send(Fleet.finished(rejectsThenFails, Outcome.FAILURE));
        InstallRequested rejectsThenInstalls = installs.get(model + "-rejects-then-installs");
        TestKafka.send(cancelRejected(rejectsThenInstalls));
        TestKafka.send(Fleet.finished(rejectsThenInstalls, Outcome.SUCCESS));
        InstallRequested finishedFirst = installs.get(model + "-finished-first");
        TestKafka.send(Fleet.finished(finishedFirst, Outcome.SUCCESS));

        // then each action ends where the gateway's did
        InstallRequested neverAnswers = installs.get(model + "-never-answers");
        Map<String, String> gatewayEnds = Map.of(acknowledges.deviceId(), "CANCELED",
                rejectsThenFails.deviceId(), "FAILED", rejectsThenInstalls.deviceId(), "FINISHED",
                finishedFirst.deviceId(), "FINISHED", doneBeforeAbort.deviceId(), "FINISHED",
                neverAnswers.deviceId(), "CANCELING");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, String> states = actionStates(rolloutId);
            gatewayEnds.forEach((device, gatewayEnd) -> assertThat(states.get(device)).as(device)
                    .isEqualTo(SAME_END.get(gatewayEnd)));
        });
        // a failure after the cancel is the action's end: never retried in an aborted rollout
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(rolloutId))).hasSize(devices.size());
        JsonPath view = Api.rollout(rolloutId).jsonPath();
        assertThat(view.getString("waves[0].state")).isEqualTo("ABORTED");
        assertThat(view.getInt("waves[0].installed")).isEqualTo(3);
        assertThat(view.getInt("waves[0].failed")).isEqualTo(1);
        assertThat(view.getInt("waves[0].canceled")).isEqualTo(1);
        assertThat(view.getInt("waves[0].canceling")).isEqualTo(1);
        assertThat(view.getInt("waves[0].pending")).isZero();
    }

    @Test
    void given_a_rolled_back_cohort_then_a_device_that_rejected_the_cancel_and_installed_is_sent_back_and_a_failure_is_not_retried() {
        String model = Fleet.uniqueModel();
        String previousId = UUID.randomUUID().toString();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(previousId, "1.0.0", model));
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        List<String> devices = List.of(model + "-installs", model + "-fails");
        devices.forEach(device -> {
            TestKafka.send(Fleet.registered(device, model, "1"));
            TestKafka.send(Fleet.installed(device, previousId, "1.0.0"));
        });
        Api.awaitRelease(previousId);
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, previousId));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT1H", "retries", 2)).then().statusCode(201).extract().path("id");
        List<InstallRequested> installs = awaitInstalls(rolloutId, 1, 2);
        InstallRequested installsAnyway = installs.stream().filter(c -> c.deviceId().equals(devices.get(0)))
                .findFirst().orElseThrow();
        InstallRequested failsAnyway = installs.stream().filter(c -> c.deviceId().equals(devices.get(1)))
                .findFirst().orElseThrow();

        TestKafka.send(Fleet.rollback(rolloutId, model + ":1"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, CancelRequested.class,
                        c -> c.rolloutId().equals(rolloutId)).size() == 2);
        TestKafka.send(cancelRejected(installsAnyway));
        TestKafka.send(Fleet.finished(installsAnyway, Outcome.SUCCESS));
        TestKafka.send(cancelRejected(failsAnyway));
        TestKafka.send(Fleet.finished(failsAnyway, Outcome.FAILURE));

        InstallRequested sentBack = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId) && c.rollback()), found -> !found.isEmpty()).get(0);
        assertThat(sentBack.deviceId()).isEqualTo(installsAnyway.deviceId());
        assertThat(sentBack.releaseId()).isEqualTo(previousId);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(
                actionStates(rolloutId)).containsEntry(failsAnyway.deviceId(), "FAILED"));
        JsonPath view = Api.rollout(rolloutId).jsonPath();
        assertThat(view.getInt("waves[0].rolledBack")).isEqualTo(1);
        assertThat(view.getInt("waves[0].failed")).isEqualTo(1);
        assertThat(view.getInt("waves[0].skipped")).isZero();
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(rolloutId) && !c.rollback())).hasSize(2); // no retry of the failure
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutActionRetried.class,
                e -> e.rolloutId().equals(rolloutId))).isEmpty();
    }

    /** The install (not rollback) action state of each device. */
    private static Map<String, String> actionStates(String rolloutId) {
        Map<String, String> states = new HashMap<>();
        List<Map<String, Object>> actions = Api.asViewer().get("/api/v1/rollouts/" + rolloutId + "/actions")
                .then().statusCode(200).extract().jsonPath().getList("$");
        actions.stream().filter(action -> !(Boolean) action.get("rollback"))
                .forEach(action -> states.put((String) action.get("deviceId"), (String) action.get("state")));
        return states;
    }

    /** What the gateway reports when the device acknowledges the cancel (or it withdrew a never-fetched action). */
    private static DeviceReport.ActionCanceled canceled(InstallRequested install) {
        return new DeviceReport.ActionCanceled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                install.deviceId(), install.actionId(), install.rolloutId(), install.cohort());
    }

    /** What the gateway reports when the device rejects the cancel. */
    private static DeviceReport.ActionProgressed cancelRejected(InstallRequested install) {
        return new DeviceReport.ActionProgressed(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                install.deviceId(), install.actionId(), install.rolloutId(), install.cohort(), "cancel-rejected",
                List.of());
    }
}
