package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.events.RolloutEvent;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A rollout's rollback policy: rule by rule over the defaults, shown by the API, sent to telemetry whole. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RollbackPolicyIT extends WatchedTopicsTest {

    @Test
    void given_rules_in_the_request_when_created_then_the_api_and_rollout_created_carry_every_rule_resolved() {
        String model = Fleet.uniqueModel();
        String releaseId = Api.releaseWithOneDevice(model);
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "errorMinSample", 7,
                "rollbackPolicy", Map.of(
                        "failedInstalls", Map.of("rate", 0.4, "count", 5, "minSample", 10, "window", "PT1H"),
                        "bootFailures", Map.of("off", true),
                        "unhealthyDevices", Map.of("count", 2, "crashes", 4, "crashWindow", "PT5M"),
                        "silentDevices", Map.of("rate", 0.5, "silence", "PT20M"),
                        "crashRegression", Map.of("factor", 3.0))))
                .then().statusCode(201).extract().path("id");

        JsonPath view = Api.rollout(rolloutId).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("errorMinSample")).isEqualTo(7);
        assertThat(view.getDouble("rollbackPolicy.failedInstalls.rate")).isEqualTo(0.4);
        assertThat(view.getInt("rollbackPolicy.failedInstalls.count")).isEqualTo(5);
        assertThat(view.getString("rollbackPolicy.failedInstalls.window")).isEqualTo("PT1H");
        assertThat(view.getString("rollbackPolicy.bootFailures.rate")).isNull();
        assertThat(view.getString("rollbackPolicy.bootFailures.count")).isNull();
        // a rule given only a count has no rate: the request's limits replace the configured ones
        assertThat(view.getString("rollbackPolicy.unhealthyDevices.rate")).isNull();
        assertThat(view.getInt("rollbackPolicy.unhealthyDevices.count")).isEqualTo(2);
        assertThat(view.getInt("rollbackPolicy.unhealthyDevices.minSample")).isEqualTo(3); // configured
        assertThat(view.getInt("rollbackPolicy.unhealthyDevices.crashes")).isEqualTo(4);
        assertThat(view.getString("rollbackPolicy.silentDevices.silence")).isEqualTo("PT20M");
        assertThat(view.getDouble("rollbackPolicy.crashRegression.factor")).isEqualTo(3.0);
        assertThat(view.getDouble("rollbackPolicy.crashRegression.floor")).isEqualTo(0.1); // configured

        RolloutEvent.RolloutCreated created = created(rolloutId);
        RollbackPolicy policy = created.policy();
        assertThat(policy.failedInstalls()).isEqualTo(new RolloutEvent.CountRule(0.4, 5, 10, Duration.ofHours(1)));
        assertThat(policy.failureRateThreshold()).isEqualTo(0.4);
        assertThat(policy.minSampleSize()).isEqualTo(10);
        assertThat(policy.bootFailures().rate()).isNull();
        assertThat(policy.bootFailures().count()).isNull();
        assertThat(policy.unhealthyDevices().crashWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.silentDevices().silence()).isEqualTo(Duration.ofMinutes(20));
        assertThat(created.cohortDevices()).containsExactly(Map.entry(model + ":1", 1));
    }

    @Test
    void given_no_policy_when_created_then_every_rule_comes_from_the_configured_defaults() {
        String model = Fleet.uniqueModel();
        String rolloutId = Api.rolloutOfOneDevice(model);

        RollbackPolicy policy = created(rolloutId).policy();
        assertThat(policy.failedInstalls()).isEqualTo(new RolloutEvent.CountRule(0.5, null, 3, Duration.ZERO));
        assertThat(policy.bootFailures()).isEqualTo(new RolloutEvent.CountRule(0.2, null, 3, Duration.ZERO));
        assertThat(policy.unhealthyDevices()).isEqualTo(new RolloutEvent.DeviceHealthRule(0.3, null, 3,
                Duration.ZERO, 3, Duration.ofMinutes(10)));
        assertThat(policy.silentDevices()).isEqualTo(new RolloutEvent.SilenceRule(0.3, null, 3, Duration.ZERO,
                Duration.ofMinutes(15)));
        assertThat(policy.crashRegression()).isEqualTo(new RolloutEvent.RegressionRule(2.0, 0.1, 5,
                Duration.ofMinutes(5)));
        Api.rollout(rolloutId).then().statusCode(200)
                .body("errorMinSample", org.hamcrest.Matchers.is(1));
    }

    @Test
    void given_a_large_rollback_sample_when_a_small_wave_fails_above_its_error_threshold_then_it_still_pauses() {
        // the rollback policy's sample of 100 once also silenced the wave error threshold
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "5.0.0", model));
        List<String> devices = List.of(model + "-a", model + "-b", model + "-c", model + "-d");
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT1S", "errorThreshold", 0.4, "canaryPerCohort", 0,
                "rollbackPolicy", Map.of("failureRateThreshold", 0.9, "minSampleSize", 100)))
                .then().statusCode(201).extract().path("id");

        awaitInstalls(rolloutId, 1, 2).forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.FAILURE)));

        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Api.rollout(rolloutId).then().extract().jsonPath().getString("state"))
                        .isEqualTo("PAUSED"));
    }

    @Test
    void given_hostile_or_impossible_rules_when_created_then_400_and_nothing_is_created() {
        String model = Fleet.uniqueModel();
        String releaseId = Api.releaseWithOneDevice(model);
        for (Map<String, Object> policy : List.<Map<String, Object>>of(
                Map.of("failedInstalls", Map.of("rate", 0)),
                Map.of("failedInstalls", Map.of("rate", 1.5)),
                Map.of("failedInstalls", Map.of("count", 0)),
                Map.of("bootFailures", Map.of("off", true, "rate", 0.5)),
                Map.of("bootFailures", Map.of("window", "P-1D")),
                Map.of("bootFailures", Map.of("window", "yesterday\u0000")),
                Map.of("unhealthyDevices", Map.of("crashes", 51)),
                Map.of("unhealthyDevices", Map.of("crashWindow", "P400D")),
                Map.of("silentDevices", Map.of("silence", "PT0S")),
                Map.of("silentDevices", Map.of("silence", "PT2H")),
                Map.of("crashRegression", Map.of("factor", 1.0)))) {
            Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                    "rollbackPolicy", policy))
                    .then().statusCode(400).contentType(containsString("application/problem+json"));
        }
        Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model), "errorMinSample", 0))
                .then().statusCode(400);
        Api.asViewer().get("/api/v1/rollouts").then().statusCode(200)
                .body("findAll { it.releaseId == '" + releaseId + "' }.size()", org.hamcrest.Matchers.is(0));
    }

    private RolloutEvent.RolloutCreated created(String rolloutId) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutCreated.class,
                        e -> e.rolloutId().equals(rolloutId)), found -> !found.isEmpty())
                .get(0);
    }
}
