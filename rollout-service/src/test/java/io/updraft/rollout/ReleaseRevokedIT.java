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
import io.updraft.events.ReleaseEvent;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ReleaseRevoked stops what is running of the release: rollouts abort, open installs are canceled. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class ReleaseRevokedIT extends WatchedTopicsTest {
    @Test
    void given_a_running_and_a_paused_rollout_of_a_release_when_it_is_revoked_then_both_abort_and_their_open_installs_are_canceled() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "6.6.6", model));
        Map<String, String> groups = Map.of(model + "-a", "one", model + "-d", "one", model + "-b", "two",
                model + "-c", "two");
        groups.forEach((device, group) -> TestKafka.send(new DeviceReport.DeviceRegistered(EventMeta.newId(),
                EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, device, "default",
                Map.of(DeviceReport.MODEL, model, DeviceReport.REVISION, "1", "group", group))));
        Api.awaitRelease(releaseId);
        groups.keySet().forEach(device -> Api.awaitDevice(device, null));
        // two rollouts of the release over disjoint devices: one keeps running, one is paused by an operator
        String running = createRollout(releaseId, Map.of("model", model, "group", "one"),
                List.of(model + "-a", model + "-d"));
        String paused = createRollout(releaseId, Map.of("model", model, "group", "two"),
                List.of(model + "-b", model + "-c"));
        Api.asOperator().post("/api/v1/rollouts/" + paused + "/pause").then().statusCode(200);
        // one device of the running rollout already finished: its action is not open any more
        InstallRequested done = installsOf(running, 2).stream().filter(c -> c.deviceId().equals(model + "-a"))
                .findFirst().orElseThrow();
        TestKafka.send(Fleet.finished(done, DeviceReport.Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.rollout(running).jsonPath().getInt("waves[0].succeeded") == 1);

        // when the release is revoked
        TestKafka.send(new ReleaseEvent.ReleaseRevoked(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                releaseId, "bricks on cold boot"));

        // then both rollouts abort, with the reason
        assertThat(awaitAborted(paused).reason()).contains(releaseId).contains("bricks on cold boot");
        assertThat(awaitAborted(running).reason()).contains("bricks on cold boot");
        assertThat(Api.rollout(paused).jsonPath().getString("state")).isEqualTo("ABORTED");
        assertThat(Api.rollout(running).jsonPath().getString("state")).isEqualTo("ABORTED");
        // and their waves, running and paused mid-wave, end ABORTED
        assertThat(Api.rollout(paused).jsonPath().getList("waves.state")).containsExactly("ABORTED");
        assertThat(Api.rollout(running).jsonPath().getList("waves.state")).containsExactly("ABORTED");
        // and exactly the open installs are canceled: b and c, and d — not a, which had finished
        List<CancelRequested> canceled = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, CancelRequested.class,
                        c -> c.rolloutId().equals(paused) || c.rolloutId().equals(running)),
                        found -> found.size() >= 3);
        assertThat(canceled).extracting(CancelRequested::deviceId)
                .containsExactlyInAnyOrder(model + "-b", model + "-c", model + "-d");
        // and no new rollout of the release can be created
        Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model)))
                .then().statusCode(422);
    }

    private String createRollout(String releaseId, Map<String, Object> target, List<String> expectedDevices) {
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", target, "soakTime", "PT1H"))
                .then().statusCode(201).extract().path("id");
        assertThat(installsOf(id, expectedDevices.size())).extracting(InstallRequested::deviceId)
                .containsExactlyInAnyOrderElementsOf(expectedDevices);
        return id;
    }

    /** Waits for all of them: a wave's installs may reach the topic (and this watch) over several polls. */
    private List<InstallRequested> installsOf(String rolloutId, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId)), found -> found.size() >= expected);
    }

    private RolloutEvent.RolloutAborted awaitAborted(String rolloutId) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutAborted.class,
                        e -> e.rolloutId().equals(rolloutId)), found -> !found.isEmpty()).get(0);
    }
}
