package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.RolloutEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A rollout's named rollback release: what a rolled-back cohort's devices get instead of what each ran before. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RollbackReleaseIT extends WatchedTopicsTest {

    @Test
    void given_a_named_rollback_release_when_the_cohort_is_rolled_back_then_each_device_that_installed_gets_it() {
        String model = Fleet.uniqueModel();
        String cohort = model + ":1";
        String previousId = UUID.randomUUID().toString();
        String releaseId = UUID.randomUUID().toString();
        String rollbackId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(previousId, "1.0.0", model));
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        TestKafka.send(Fleet.release(rollbackId, "1.5.0", model));
        List<String> devices = List.of(model + "-a", model + "-b", model + "-c");
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        // a and b ran 1.0.0; c's previous release is not known
        TestKafka.send(Fleet.installed(devices.get(0), previousId, "1.0.0"));
        TestKafka.send(Fleet.installed(devices.get(1), previousId, "1.0.0"));
        Api.awaitRelease(releaseId);
        Api.awaitRelease(rollbackId);
        Api.awaitDevice(devices.get(0), previousId);
        Api.awaitDevice(devices.get(1), previousId);
        Api.awaitDevice(devices.get(2), null);
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT1H", "rollbackRelease", rollbackId)).then().statusCode(201)
                .body("rollbackRelease", org.hamcrest.Matchers.equalTo(rollbackId)).extract().path("id");
        List<InstallRequested> installs = awaitInstalls(rolloutId, 1, 3);
        installs.forEach(c -> TestKafka.send(Fleet.finished(c,
                c.deviceId().equals(devices.get(1)) ? DeviceReport.Outcome.FAILURE : DeviceReport.Outcome.SUCCESS)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var view = Api.rollout(rolloutId).jsonPath();
            return view.getInt("waves[0].succeeded") == 2 && view.getInt("waves[0].failed") == 1;
        });

        TestKafka.send(Fleet.rollback(rolloutId, cohort));

        RolloutEvent.RolloutRolledBack rolledBack = await().atMost(Duration.ofSeconds(45)).until(
                () -> rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutRolledBack.class,
                        e -> e.rolloutId().equals(rolloutId)), found -> !found.isEmpty()).get(0);
        assertThat(rolledBack.devicesSentBack()).isEqualTo(2);
        List<InstallRequested> sentBack = await().atMost(Duration.ofSeconds(45)).until(
                () -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId) && c.rollback()), found -> found.size() >= 2);
        assertThat(sentBack).extracting(InstallRequested::deviceId)
                .containsExactlyInAnyOrder(devices.get(0), devices.get(2));
        assertThat(sentBack).allSatisfy(command -> {
            assertThat(command.releaseId()).isEqualTo(rollbackId);
            assertThat(command.version()).isEqualTo("1.5.0");
            assertThat(command.cohort()).isEqualTo(cohort);
        });
        // tracked like any action
        assertThat(Api.rollout(rolloutId).jsonPath().getInt("rollbackActions.sent")).isEqualTo(2);
        TestKafka.send(Fleet.finished(sentBack.get(0), DeviceReport.Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Api.rollout(rolloutId).jsonPath().getInt("rollbackActions.succeeded")).isEqualTo(1));
    }

    @Test
    void given_a_rollback_release_that_is_unknown_or_does_not_fit_the_target_set_then_422_and_nothing_is_stored() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        String otherModelsRelease = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        TestKafka.send(Fleet.release(otherModelsRelease, "1.5.0", Fleet.uniqueModel()));
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        Api.awaitRelease(releaseId);
        Api.awaitRelease(otherModelsRelease);
        Api.awaitDevice(model + "-a", null);
        String name = "named-rollback-" + model;
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "releaseId", releaseId,
                "target", Map.of("model", model)));

        body.put("rollbackRelease", "no-such-release");
        Api.createRollout(body).then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("rollbackRelease no-such-release is unknown"));
        Api.asOperator().body(body).post("/api/v1/rollouts/preview").then().statusCode(422)
                .body("detail", containsString("rollbackRelease no-such-release is unknown"));
        body.put("rollbackRelease", otherModelsRelease);
        Api.createRollout(body).then().statusCode(422)
                .body("detail", containsString("does not accept hardware " + model + ":1 of the target set"));
        body.put("rollbackRelease", releaseId);
        Api.createRollout(body).then().statusCode(422)
                .body("detail", containsString("must differ from the release rolled out"));

        assertThat(Api.asViewer().get("/api/v1/rollouts").jsonPath().getList("name")).doesNotContain(name);
    }
}
