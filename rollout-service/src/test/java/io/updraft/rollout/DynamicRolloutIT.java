package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dynamic rollouts: devices that register or start matching later join the running or the next wave. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class DynamicRolloutIT extends WatchedTopicsTest {
    @Test
    void given_a_dynamic_rollout_then_late_matching_devices_join_the_running_wave_or_the_next_one() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        List.of(model + "-a", model + "-b").forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(model + "-a", null);
        Api.awaitDevice(model + "-b", null);

        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "filter", "site == \"lab\"", "waves", List.of(50, Map.of("percent", 100, "approval", true)),
                "soakTime", "PT0S", "canaryPerCohort", 0, "dynamic", true))
                .then().statusCode(201).body("dynamic", equalTo(true)).body("waves[0].devices", equalTo(1))
                .extract().path("id");
        InstallRequested first = awaitDistinctInstalls(id, 1, 1).get(0);

        // a device registering while wave 1 runs joins wave 1 and is sent its install at once
        String late = model + "-c";
        TestKafka.send(Fleet.registered(late, model, "1"));
        List<InstallRequested> wave1 = awaitDistinctInstalls(id, 1, 2);
        assertThat(wave1).extracting(InstallRequested::deviceId).contains(late);
        Api.rollout(id).then().body("waves[0].devices", equalTo(2));
        wave1.forEach(command -> TestKafka.send(Fleet.finished(command, Outcome.SUCCESS)));
        awaitEvents(id, RolloutEvent.RolloutAwaitingApproval.class, 1);

        // while wave 2 waits for approval: a new matching device joins wave 2 (nothing sent yet); one that does not
        // match the filter stays out until its attributes change; another model never joins
        String waiting = model + "-d";
        String moved = model + "-e";
        String otherModel = Fleet.uniqueModel() + "-x";
        TestKafka.send(Fleet.registered(waiting, model, "1"));
        TestKafka.send(Fleet.registered(moved, Map.of(DeviceReport.MODEL, model, DeviceReport.REVISION, "1",
                "site", "field")));
        TestKafka.send(Fleet.registered(otherModel, Map.of(DeviceReport.MODEL, "other", DeviceReport.REVISION, "1",
                "site", "lab")));
        Api.awaitDevice(moved, null);
        Api.awaitDevice(otherModel, null);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.rollout(id).jsonPath().getInt("waves[1].devices") == 2);
        TestKafka.send(Fleet.attributesUpdated(moved, Map.of(DeviceReport.MODEL, model, DeviceReport.REVISION, "1",
                "site", "lab")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.rollout(id).jsonPath().getInt("waves[1].devices") == 3);
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.wave() == 2)).isEmpty();

        Api.asOperator().body("{}").post("/api/v1/rollouts/" + id + "/approve").then().statusCode(200);
        List<InstallRequested> wave2 = awaitDistinctInstalls(id, 2, 3);
        assertThat(wave2).extracting(InstallRequested::deviceId)
                .containsExactlyInAnyOrder(model + "-b", waiting, moved);
        wave2.forEach(command -> TestKafka.send(Fleet.finished(command, Outcome.SUCCESS)));
        assertThat(awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0).succeeded()).isEqualTo(5);
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.deviceId().equals(otherModel))).isEmpty();
        assertThat(first.wave()).isEqualTo(1);
    }

    @Test
    void given_a_rollout_that_is_not_dynamic_then_a_late_device_does_not_join() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(model + "-a", null);
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S")).then().statusCode(201).body("dynamic", equalTo(false)).extract().path("id");
        InstallRequested only = awaitDistinctInstalls(id, 1, 1).get(0);

        TestKafka.send(Fleet.registered(model + "-late", model, "1"));
        Api.awaitDevice(model + "-late", null);
        TestKafka.send(Fleet.finished(only, Outcome.SUCCESS));
        assertThat(awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0).succeeded()).isEqualTo(1);
        Api.rollout(id).then().body("waves[0].devices", equalTo(1));
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.deviceId().equals(model + "-late"))).isEmpty();
    }

    /** Like {@link #awaitInstalls}, each command once (a re-sent chunk carries the same event). */
    private List<InstallRequested> awaitDistinctInstalls(String rolloutId, int wave, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId) && c.wave() == wave && !c.rollback()).stream()
                        .distinct().toList(), found -> found.size() >= expected);
    }

    private <E extends RolloutEvent> List<E> awaitEvents(String rolloutId, Class<E> type, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> found.size() >= expected);
    }
}
