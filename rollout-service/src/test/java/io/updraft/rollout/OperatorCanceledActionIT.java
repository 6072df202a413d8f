package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An operator canceled a device's action at the gateway (device-gateway's
 * {@code POST /api/v1/devices/{id}/actions/{actionId}/cancel}): rollout-service learns it from the ActionCanceled the
 * gateway reports once the device confirmed (or at once for an action the device never fetched). The action ends
 * CANCELED in the rollout, is counted as canceled, is not retried, and the wave goes on without it.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class OperatorCanceledActionIT extends WatchedTopicsTest {
    @Test
    void given_a_running_action_with_a_retry_budget_when_the_gateway_reports_it_canceled_then_it_ends_canceled_unretried() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "3.0.0", model));
        String canceledDevice = model + "-a";
        String other = model + "-b";
        String neverFetched = model + "-c";
        List.of(canceledDevice, other, neverFetched).forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        List.of(canceledDevice, other, neverFetched).forEach(device -> Api.awaitDevice(device, null));

        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S", "retries", 2, "waves", List.of(100)))
                .then().statusCode(201).extract().path("id");
        InstallRequested running = awaitInstall(id, canceledDevice);
        InstallRequested withdrawn = awaitInstall(id, neverFetched);
        InstallRequested fine = awaitInstall(id, other);
        TestKafka.send(new DeviceReport.ActionProgressed(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, canceledDevice, running.actionId(), id, running.cohort(), "proceeding",
                List.of("Downloading")));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100)).until(() -> "RUNNING".equals(
                Api.asViewer().queryParam("deviceId", canceledDevice).get("/api/v1/rollouts/" + id + "/actions")
                        .then().extract().path("state[0]")));

        // the device acknowledged the operator's cancel; the other one was withdrawn before it fetched anything
        TestKafka.send(canceledByOperator(running, "olga", "wrong image for site B"));
        TestKafka.send(canceled(withdrawn));
        TestKafka.send(Fleet.finished(fine, Outcome.SUCCESS));

        RolloutEvent.RolloutCompleted completed = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutCompleted.class,
                        e -> e.rolloutId().equals(id)), found -> !found.isEmpty()).get(0);
        assertThat(completed.succeeded()).isEqualTo(1);
        assertThat(completed.failed()).isZero();
        Api.rollout(id).then().body("waves[0].canceled", equalTo(2)).body("waves[0].succeeded", equalTo(1))
                .body("waves[0].failed", equalTo(0)).body("waves[0].retried", equalTo(0))
                .body("waves[0].running", equalTo(0)).body("waves[0].pending", equalTo(0));
        Api.asViewer().queryParam("deviceId", canceledDevice).get("/api/v1/rollouts/" + id + "/actions").then()
                .body("state", contains("CANCELED"));
        Api.asViewer().queryParam("deviceId", neverFetched).get("/api/v1/rollouts/" + id + "/actions").then()
                .body("state", contains("CANCELED"));
        Api.asViewer().get("/api/v1/devices/" + canceledDevice + "/history").then().statusCode(200)
                .body("entries.type", hasItem("ACTION_CANCELED"))
                // the operator who asked at the gateway, and why (ActionCanceled.canceledBy / reason)
                .body("entries.find { it.type == 'ACTION_CANCELED' }.actor", equalTo("olga"))
                .body("entries.find { it.type == 'ACTION_CANCELED' }.reason", equalTo("wrong image for site B"));
        Api.asViewer().get("/api/v1/devices/" + neverFetched + "/history").then().statusCode(200)
                .body("entries.find { it.type == 'ACTION_CANCELED' }.actor", equalTo("device"))
                .body("entries.find { it.type == 'ACTION_CANCELED' }.reason", equalTo(null));
        // no retry: one install per device, no RolloutActionRetried
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.deviceId().equals(canceledDevice))).hasSize(1);
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutActionRetried.class,
                e -> e.rolloutId().equals(id))).isEmpty();
    }

    private static DeviceReport.ActionCanceled canceled(InstallRequested command) {
        return new DeviceReport.ActionCanceled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort());
    }

    private static DeviceReport.ActionCanceled canceledByOperator(InstallRequested command, String operator,
            String reason) {
        return new DeviceReport.ActionCanceled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort(), operator, reason);
    }

    private InstallRequested awaitInstall(String rolloutId, String deviceId) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId) && c.deviceId().equals(deviceId)).stream()
                        .sorted(Comparator.comparingLong(InstallRequested::actionId)).toList(),
                        found -> !found.isEmpty()).get(0);
    }
}
