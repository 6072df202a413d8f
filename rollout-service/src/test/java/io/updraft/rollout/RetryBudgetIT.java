package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A failed install is sent again as a new action up to the rollout's retry budget before it counts as failed. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RetryBudgetIT extends WatchedTopicsTest {
    @Test
    void given_two_retries_then_a_failing_device_gets_three_attempts_and_a_recovering_one_counts_as_succeeded() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        String broken = model + "-a";
        String flaky = model + "-b";
        List.of(broken, flaky).forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(broken, null);
        Api.awaitDevice(flaky, null);

        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S", "retries", 2, "actionDeadline", "PT1H"))
                .then().statusCode(201).body("retries", equalTo(2)).extract().path("id");

        // the flaky device fails once, then its second attempt succeeds
        InstallRequested flaky1 = awaitInstalls(id, flaky, 1).get(0);
        TestKafka.send(Fleet.finished(flaky1, Outcome.FAILURE));
        InstallRequested flaky2 = awaitInstalls(id, flaky, 2).get(1);
        assertThat(flaky2.actionId()).isNotEqualTo(flaky1.actionId());
        assertThat(flaky2.releaseId()).isEqualTo(releaseId);
        assertThat(flaky2.expiresAt()).isNotNull();
        TestKafka.send(Fleet.finished(flaky2, Outcome.SUCCESS));

        // the broken device fails every attempt; a stale report about a retried attempt changes nothing
        InstallRequested broken1 = awaitInstalls(id, broken, 1).get(0);
        TestKafka.send(Fleet.finished(broken1, Outcome.FAILURE));
        InstallRequested broken2 = awaitInstalls(id, broken, 2).get(1);
        TestKafka.send(Fleet.finished(broken1, Outcome.FAILURE));
        TestKafka.send(Fleet.finished(broken2, Outcome.FAILURE));
        InstallRequested broken3 = awaitInstalls(id, broken, 3).get(2);
        TestKafka.send(Fleet.finished(broken3, Outcome.FAILURE));

        // then the wave counts each device once, by its last attempt, and the rollout completes
        RolloutEvent.RolloutCompleted completed = awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0);
        assertThat(completed.succeeded()).isEqualTo(1);
        assertThat(completed.failed()).isEqualTo(1);
        Api.rollout(id).then().body("waves[0].succeeded", equalTo(1)).body("waves[0].failed", equalTo(1))
                .body("waves[0].retried", equalTo(3)).body("waves[0].pending", equalTo(0));
        Api.asViewer().queryParam("deviceId", broken).get("/api/v1/rollouts/" + id + "/actions").then()
                .body("state", contains("RETRIED", "RETRIED", "FAILED"))
                .body("actionId", contains((int) broken1.actionId(), (int) broken2.actionId(), (int) broken3.actionId()));
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.deviceId().equals(broken))).hasSize(3);
        List<RolloutEvent.RolloutActionRetried> retried = rolloutEvents.events(RolloutEvent.class,
                RolloutEvent.RolloutActionRetried.class, e -> e.rolloutId().equals(id) && e.deviceId().equals(broken));
        assertThat(retried).extracting(RolloutEvent.RolloutActionRetried::attempt).containsExactly(2, 3);
        assertThat(retried.get(1).failedActionId()).isEqualTo(broken2.actionId());
        assertThat(retried.get(1).newActionId()).isEqualTo(broken3.actionId());
    }

    private List<InstallRequested> awaitInstalls(String rolloutId, String deviceId, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId) && c.deviceId().equals(deviceId)).stream()
                        .sorted(java.util.Comparator.comparingLong(InstallRequested::actionId)).distinct().toList(),
                        found -> found.size() >= expected);
    }

    private <E extends RolloutEvent> List<E> awaitEvents(String rolloutId, Class<E> type, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> found.size() >= expected);
    }
}
