package io.updraft.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: hostile values at rollout-service's edge. NUL in a rollout id, a device query or the filter answered 500
 * (it reached PostgreSQL); {@code soakTime: PT999999999999H} and {@code waves: []} (silently one 100 % wave) were
 * accepted; a NUL in a pause or abort reason was stored. Each is now a 400 problem document and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class HostileRolloutInputIT {
    private static final String PROBLEM = "application/problem+json";
    private static final List<String> HOSTILE_IDS = List.of("%00", "a%00b", "a%0D%0Ab", "%1B", "x".repeat(201));

    @Test
    void given_a_hostile_rollout_id_then_every_rollout_endpoint_answers_400() {
        for (String id : HOSTILE_IDS) {
            String path = "/api/v1/rollouts/" + id;
            Api.asOperator().urlEncodingEnabled(false).get(path).then().statusCode(400).contentType(PROBLEM);
            Api.asOperator().urlEncodingEnabled(false).get(path + "/actions").then().statusCode(400)
                    .contentType(PROBLEM);
            for (String control : List.of("/pause", "/resume", "/abort", "/approve", "/cohorts/gw:1/rollback")) {
                Api.asOperator().urlEncodingEnabled(false).body("{}").post(path + control).then().statusCode(400)
                        .contentType(PROBLEM);
            }
            Api.asViewer().urlEncodingEnabled(false).get("/api/v1/devices/" + id).then().statusCode(400)
                    .contentType(PROBLEM);
        }
    }

    @Test
    void given_a_token_for_another_audience_or_none_then_401_problem_json() {
        for (String audience : new String[] { "another-api", null }) {
            String token = UpdraftStackResource.tokens().mintFor(audience, "elsewhere", java.time.Duration.ofMinutes(5),
                    "operator", "viewer");
            given().auth().oauth2(token).get("/api/v1/rollouts").then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        }
        given().get("/api/v1/rollouts").then().statusCode(401).contentType(PROBLEM);
        Api.asViewer().get("/api/v1/rollouts").then().statusCode(200);
    }

    @Test
    void given_hostile_query_values_then_400_never_500() {
        for (String query : List.of("model=%00", "revision=a%00b", "version=%00", "filter=model%20%3D%3D%20%22%00%22")) {
            Api.asViewer().urlEncodingEnabled(false).get("/api/v1/devices?" + query).then().statusCode(400)
                    .contentType(PROBLEM);
        }
        Api.asViewer().urlEncodingEnabled(false).get("/api/v1/rollouts/" + UUID.randomUUID() + "/actions?deviceId=a%00")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void given_hostile_create_requests_then_each_is_a_400_and_no_rollout_is_stored() {
        String model = Fleet.uniqueModel();
        String releaseId = Api.releaseWithOneDevice(model);
        int before = rolloutsOf(releaseId);

        List<Map<String, Object>> hostile = List.of(
                with(releaseId, model, "name", "a\u0000b"),
                with(releaseId, model, "name", "a\r\nb"),
                with(releaseId, model, "soakTime", "PT999999999999H"),
                with(releaseId, model, "soakTime", "PT721H"),
                with(releaseId, model, "waveTimeout", "P99999D"),
                with(releaseId, model, "actionDeadline", "P100000D"),
                with(releaseId, model, "startAt", "+100000-01-01T00:00:00Z"),
                with(releaseId, model, "waves", List.of()),
                with(releaseId, model, "filter", "model == \"a\u0000\""),
                with(releaseId, model, "cohortBy", List.of("site\u0000")),
                with(releaseId, model, "maintenanceWindow", Map.of("schedule", "0 0 2 * * ?\u0000",
                        "duration", "PT2H")),
                Map.of("releaseId", releaseId + "\u0000", "target", Map.of("model", model)),
                Map.of("releaseId", releaseId, "target", Map.of("model", model + "\u0000")),
                Map.of("releaseId", releaseId, "target", Map.of("model\r\n", model)));
        for (Map<String, Object> body : hostile) {
            Api.createRollout(body).then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
            Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(400).contentType(PROBLEM);
        }

        assertThat(rolloutsOf(releaseId)).isEqualTo(before);
    }

    @Test
    void given_a_reason_with_nul_or_escape_characters_then_pause_and_abort_are_400_and_the_rollout_keeps_running() {
        String model = Fleet.uniqueModel();
        String id = Api.rolloutOfOneDevice(model);
        String path = "/api/v1/rollouts/" + id;

        for (String reason : List.of("a\u0000b", "\u001b[2J", "x".repeat(1001))) {
            for (String control : List.of("/pause", "/abort", "/cohorts/" + model + ":1/rollback")) {
                Api.asOperator().body(Map.of("reason", reason)).post(path + control).then().statusCode(400)
                        .contentType(PROBLEM);
            }
        }

        Api.rollout(id).then().statusCode(200).body("state", equalTo("RUNNING"));
        // a multi-line reason is ordinary text
        Api.asOperator().body(Map.of("reason", "line one\nline two")).post(path + "/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED"));
    }

    private static Map<String, Object> with(String releaseId, String model, String field, Object value) {
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "target", Map.of("model", model)));
        body.put(field, value);
        return body;
    }

    private static int rolloutsOf(String releaseId) {
        return given().auth().oauth2(UpdraftStackResource.tokens().mint("v", java.time.Duration.ofMinutes(5), "viewer"))
                .get("/api/v1/rollouts").jsonPath().getList("findAll { it.releaseId == '" + releaseId + "' }").size();
    }
}
