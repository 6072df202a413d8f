package io.updraft.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventMeta;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RolloutApiIT {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void given_no_token_or_the_wrong_role_then_the_api_answers_401_and_403() {
        given().get("/api/v1/rollouts").then().statusCode(401);
        given().get("/api/v1/devices").then().statusCode(401);
        Api.asViewer().body(Map.of("releaseId", "x")).post("/api/v1/rollouts").then().statusCode(403);
        Api.asViewer().post("/api/v1/rollouts/x/pause").then().statusCode(403);
        Api.asViewer().get("/api/v1/rollouts").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void given_invalid_rollout_requests_then_each_is_a_400_problem() {
        List<Map<String, Object>> invalid = List.of(
                Map.of("target", Map.of()),
                Map.of("releaseId", "r", "waves", List.of(50, 20, 100)),
                Map.of("releaseId", "r", "waves", List.of(20, 90)),
                Map.of("releaseId", "r", "waves", List.of(0, 100)),
                Map.of("releaseId", "r", "errorThreshold", 1.5),
                Map.of("releaseId", "r", "successThreshold", -0.1),
                Map.of("releaseId", "r", "soakTime", "5 seconds"),
                Map.of("releaseId", "r", "actionType", "BOGUS"),
                Map.of("releaseId", "r", "rollbackPolicy", Map.of("failureRateThreshold", 0.5, "minSampleSize", 0)));
        for (Map<String, Object> body : invalid) {
            Api.createRollout(body).then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        }
        Api.asOperator().body("{\"releaseId\": ").post("/api/v1/rollouts").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void given_an_unknown_or_revoked_release_or_no_matching_device_then_creation_is_a_422_and_changes_nothing() {
        String model = Fleet.uniqueModel();
        String revokedId = UUID.randomUUID().toString();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(revokedId, "0.9.0", model));
        TestKafka.send(new ReleaseEvent.ReleaseRevoked(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                revokedId, "broken"));
        TestKafka.send(Fleet.release(releaseId, "1.0.0", model));
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(model + "-a", null);

        Api.createRollout(Map.of("releaseId", UUID.randomUUID().toString())).then().statusCode(422)
                .contentType(PROBLEM).body("detail", containsString("unknown"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.createRollout(Map.of("releaseId", revokedId))
                .then().statusCode(422).body("detail", containsString("revoked")));
        Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model, "site", "elsewhere")))
                .then().statusCode(422).contentType(PROBLEM).body("detail", containsString("no device"));

        List<String> releases = Api.asViewer().get("/api/v1/rollouts").jsonPath().getList("releaseId");
        assertThat(releases).doesNotContain(releaseId, revokedId);
    }

    @Test
    void given_a_running_rollout_then_operator_controls_follow_the_state_machine() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "1.0.0", model));
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(model + "-a", null);
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "target", Map.of("model", model)));
        body.put("name", "controls");
        String id = Api.createRollout(body).then().statusCode(201).body("name", equalTo("controls"))
                .extract().path("id");
        String path = "/api/v1/rollouts/" + id;

        Api.asOperator().post(path + "/resume").then().statusCode(409).contentType(PROBLEM);
        Api.asOperator().body(Map.of("reason", "look first")).post(path + "/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED"));
        Api.asOperator().post(path + "/pause").then().statusCode(409);
        Api.asOperator().post(path + "/resume").then().statusCode(200).body("state", equalTo("RUNNING"));
        try (TestKafka.Tail commands = TestKafka.tail(Topics.DEVICE_COMMANDS)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> commands
                    .events(DeviceCommand.class, InstallRequested.class, c -> c.rolloutId().equals(id)).size() == 1);
            // the install was sent: its cancel waits for the device's answer
            Api.asOperator().post(path + "/abort").then().statusCode(200).body("state", equalTo("ABORTED"))
                    .body("waves[0].canceling", equalTo(1)).body("waves[0].canceled", equalTo(0))
                    .body("waves[0].state", equalTo("ABORTED"));
            Api.asOperator().post(path + "/resume").then().statusCode(409);
            Api.asOperator().post("/api/v1/rollouts/" + UUID.randomUUID() + "/pause").then().statusCode(404)
                    .contentType(PROBLEM);
            Api.asViewer().get(path + "/actions?deviceId=" + model + "-a").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].state", equalTo("CANCELING"))
                    .body("[0].rollback", equalTo(false));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> commands
                    .events(DeviceCommand.class, CancelRequested.class, c -> c.rolloutId().equals(id)).size() == 1);
        }
    }

    @Test
    void given_registered_devices_then_the_inventory_lists_them_with_their_cohort() {
        String model = Fleet.uniqueModel();
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        TestKafka.send(Fleet.registered(model + "-b", model, "2"));
        Api.awaitDevice(model + "-a", null);
        Api.awaitDevice(model + "-b", null);

        Api.asViewer().get("/api/v1/devices?model=" + model + "&revision=2").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].deviceId", equalTo(model + "-b"))
                .body("items[0].cohort", equalTo(model + ":2")).body("items[0].attributes.site", equalTo("lab"));
        Api.asViewer().get("/api/v1/devices?model=" + model + "&size=1&page=1").then().statusCode(200)
                .body("total", equalTo(2)).body("page", equalTo(1)).body("size", equalTo(1))
                .body("items.size()", equalTo(1));
        Api.asViewer().get("/api/v1/devices?size=0").then().statusCode(400).contentType(PROBLEM);
        Api.asViewer().get("/api/v1/devices/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
    }
}
