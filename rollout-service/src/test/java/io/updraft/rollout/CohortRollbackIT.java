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
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class CohortRollbackIT extends WatchedTopicsTest {
    @Test
    void given_a_cohort_rolled_back_mid_rollout_then_its_devices_go_back_and_the_other_cohort_completes() {
        String model = Fleet.uniqueModel();
        String previousId = UUID.randomUUID().toString();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(previousId, "1.0.0", model));
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        String bad = model + ":1";
        String good = model + ":2";
        List<String> devices = List.of(model + "-a", model + "-b", model + "-c", model + "-d");
        for (int i = 0; i < devices.size(); i++) {
            TestKafka.send(Fleet.registered(devices.get(i), model, i < 2 ? "1" : "2"));
            TestKafka.send(Fleet.installed(devices.get(i), previousId, "1.0.0"));
        }
        Api.awaitRelease(previousId);
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, previousId));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT1S", "canaryPerCohort", 1)).then().statusCode(201)
                .extract().path("id");

        List<InstallRequested> wave1 = awaitAtLeast(installs(rolloutId, c -> c.wave() == 1 && !c.rollback()), 2);
        wave1.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));
        List<InstallRequested> wave2 = awaitAtLeast(installs(rolloutId, c -> c.wave() == 2 && !c.rollback()), 2);
        InstallRequested badWave1 = only(wave1, bad);
        InstallRequested badWave2 = only(wave2, bad);

        TestKafka.send(Fleet.rollback(rolloutId, bad));

        CancelRequested cancel = awaitAtLeast(() -> commands.events(DeviceCommand.class, CancelRequested.class,
                c -> c.rolloutId().equals(rolloutId)), 1).get(0);
        assertThat(cancel.actionId()).isEqualTo(badWave2.actionId());
        InstallRequested sentBack = awaitAtLeast(installs(rolloutId, InstallRequested::rollback), 1).get(0);
        assertThat(sentBack.deviceId()).isEqualTo(badWave1.deviceId());
        assertThat(sentBack.releaseId()).isEqualTo(previousId);
        assertThat(sentBack.version()).isEqualTo("1.0.0");
        assertThat(sentBack.cohort()).isEqualTo(bad);
        assertThat(sentBack.wave()).isEqualTo(1);
        assertThat(sentBack.actionId()).isNotEqualTo(badWave1.actionId());
        RolloutEvent.RolloutRolledBack rolledBack = awaitAtLeast(() -> rolloutEvents.events(RolloutEvent.class,
                RolloutEvent.RolloutRolledBack.class, e -> e.rolloutId().equals(rolloutId)), 1).get(0);
        assertThat(rolledBack.cohort()).isEqualTo(bad);
        assertThat(rolledBack.devicesSentBack()).isEqualTo(1);

        TestKafka.send(Fleet.finished(only(wave2, good), DeviceReport.Outcome.SUCCESS));
        TestKafka.send(Fleet.finished(sentBack, DeviceReport.Outcome.SUCCESS));

        RolloutEvent.RolloutCompleted completed = awaitAtLeast(() -> rolloutEvents.events(RolloutEvent.class,
                RolloutEvent.RolloutCompleted.class, e -> e.rolloutId().equals(rolloutId)), 1).get(0);
        assertThat(completed.rolledBackCohorts()).containsExactly(bad);
        assertThat(completed.succeeded()).isEqualTo(3);
        Api.awaitDevice(badWave1.deviceId(), previousId);

        // the same decision by hand changes nothing more
        JsonPath view = Api.asOperator().body(Map.of("reason", "again"))
                .post("/api/v1/rollouts/" + rolloutId + "/cohorts/" + bad + "/rollback")
                .then().statusCode(200).extract().jsonPath();
        assertThat(view.getString("state")).isEqualTo("COMPLETED");
        assertThat(view.getString("cohorts.find { it.cohort == '" + bad + "' }.state")).isEqualTo("ROLLED_BACK");
        assertThat(view.getString("cohorts.find { it.cohort == '" + good + "' }.state")).isEqualTo("ACTIVE");
        assertThat(view.getInt("rollbackActions.sent")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Api.rollout(rolloutId).jsonPath().getInt("rollbackActions.succeeded")).isEqualTo(1));
        Api.asOperator().post("/api/v1/rollouts/" + rolloutId + "/cohorts/nope:1/rollback").then().statusCode(404);

        // the cancel reached the wave-2 device too late: it installed 2.0.0 anyway, so it is sent back as well
        TestKafka.send(Fleet.finished(badWave2, DeviceReport.Outcome.SUCCESS));
        InstallRequested lateBack = awaitAtLeast(installs(rolloutId,
                c -> c.rollback() && c.deviceId().equals(badWave2.deviceId())), 1).get(0);
        assertThat(lateBack.releaseId()).isEqualTo(previousId);
        assertThat(lateBack.version()).isEqualTo("1.0.0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Api.rollout(rolloutId).jsonPath().getInt("rollbackActions.sent")).isEqualTo(2));
    }

    @Test
    void given_a_cohort_rolled_back_mid_wave_then_the_wave_counts_its_devices_as_rolled_back_or_skipped_not_pending() {
        String model = Fleet.uniqueModel();
        String previousId = UUID.randomUUID().toString();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(previousId, "1.0.0", model));
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        String bad = model + ":1";
        // 6 devices per cohort: wave 1 takes 3 of each, wave 2 the other 3
        for (int i = 0; i < 12; i++) {
            String device = model + "-" + i;
            TestKafka.send(Fleet.registered(device, model, i < 6 ? "1" : "2"));
            TestKafka.send(Fleet.installed(device, previousId, "1.0.0"));
        }
        Api.awaitRelease(previousId);
        Api.awaitRelease(releaseId);
        for (int i = 0; i < 12; i++) {
            Api.awaitDevice(model + "-" + i, previousId);
        }
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT1H", "canaryPerCohort", 0)).then().statusCode(201)
                .extract().path("id");
        List<InstallRequested> wave1 = awaitAtLeast(installs(rolloutId, c -> c.wave() == 1 && !c.rollback()), 6);
        List<InstallRequested> inBad = wave1.stream().filter(c -> c.cohort().equals(bad)).toList();
        List<InstallRequested> inGood = wave1.stream().filter(c -> !c.cohort().equals(bad)).toList();
        // bad: one installed, one failed, one still open; good: one installed, one running, one not started
        TestKafka.send(Fleet.finished(inBad.get(0), DeviceReport.Outcome.SUCCESS));
        TestKafka.send(Fleet.finished(inBad.get(1), DeviceReport.Outcome.FAILURE));
        TestKafka.send(Fleet.finished(inGood.get(0), DeviceReport.Outcome.SUCCESS));
        TestKafka.send(new DeviceReport.ActionProgressed(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                inGood.get(1).deviceId(), inGood.get(1).actionId(), rolloutId, inGood.get(1).cohort(), "proceeding",
                List.of()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonPath view = Api.rollout(rolloutId).jsonPath();
            return view.getInt("waves[0].succeeded") == 2 && view.getInt("waves[0].running") == 1
                    && view.getInt("waves[0].failed") == 1;
        });

        TestKafka.send(Fleet.rollback(rolloutId, bad));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "ROLLED_BACK".equals(
                Api.rollout(rolloutId).jsonPath().getString("cohorts.find { it.cohort == '" + bad + "' }.state")));
        JsonPath view = Api.rollout(rolloutId).jsonPath();
        // the cohort keeps telemetry's evidence: the rule, the numbers, the window
        String evidence = "cohorts.find { it.cohort == '" + bad + "' }.rollbackEvidence.";
        assertThat(view.getDouble(evidence + "failureRate")).isEqualTo(0.8);
        assertThat(view.getLong(evidence + "failed")).isEqualTo(4);
        assertThat(view.getString(evidence + "windowEnd")).isNotNull();
        assertThat(view.getString(evidence + "rule")).isEqualTo("failedInstalls");
        assertThat(view.getLong(evidence + "devicesCounted")).isEqualTo(4);
        assertThat(view.getString("cohorts.find { it.cohort != '" + bad + "' }.rollbackEvidence")).isNull();
        // wave 1: the bad cohort's installed device is rolled back, its open one skipped, its failure stays one;
        // only the good cohort's devices are installed, running or pending
        assertThat(view.getString("waves[0].state")).isEqualTo("RUNNING");
        assertThat(view.getInt("waves[0].devices")).isEqualTo(6);
        assertThat(view.getInt("waves[0].installed")).isEqualTo(1);
        assertThat(view.getInt("waves[0].succeeded")).isEqualTo(1);
        assertThat(view.getInt("waves[0].rolledBack")).isEqualTo(1);
        assertThat(view.getInt("waves[0].canceling")).isEqualTo(1); // its cancel not answered yet
        assertThat(view.getInt("waves[0].skipped")).isZero();
        assertThat(view.getInt("waves[0].failed")).isEqualTo(1);
        assertThat(view.getInt("waves[0].running")).isEqualTo(1);
        assertThat(view.getInt("waves[0].pending")).isEqualTo(1);
        assertThat(view.getInt("waves[0].canceled")).isZero();
        // wave 2, not started: the bad cohort's three devices will never be sent (skipped), the good one's wait
        assertThat(view.getInt("waves[1].skipped")).isEqualTo(3);
        assertThat(view.getInt("waves[1].pending")).isEqualTo(3);
        assertThat(view.getInt("waves[1].installed") + view.getInt("waves[1].rolledBack")
                + view.getInt("waves[1].failed")).isZero();
        // once its device confirms the cancel, the open one is skipped too
        TestKafka.send(new DeviceReport.ActionCanceled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                inBad.get(2).deviceId(), inBad.get(2).actionId(), rolloutId, bad));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.rollout(rolloutId).jsonPath().getInt("waves[0].skipped") == 1);
        assertThat(Api.rollout(rolloutId).jsonPath().getInt("waves[0].canceling")).isZero();
    }

    private java.util.concurrent.Callable<List<InstallRequested>> installs(String rolloutId,
            Predicate<InstallRequested> filter) {
        return () -> commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(rolloutId) && filter.test(c));
    }

    private static <T> List<T> awaitAtLeast(java.util.concurrent.Callable<List<T>> found, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(found, list -> list.size() >= expected);
    }

    private static InstallRequested only(List<InstallRequested> commands, String cohort) {
        List<InstallRequested> inCohort = commands.stream().filter(c -> c.cohort().equals(cohort)).toList();
        assertThat(inCohort).hasSize(1);
        return inCohort.get(0);
    }
}
