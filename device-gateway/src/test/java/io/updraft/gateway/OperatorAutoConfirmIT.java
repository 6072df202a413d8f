package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator's auto-confirm switch for a device ({@code /api/v1/devices/{id}/auto-confirm}, hawkBit's
 * {@code /rest/v1/targets/{id}/autoConfirm}): the same switch as the device's own confirmationBase endpoint —
 * on confirms what waits, off asks again — for known devices only, operators writing, viewers reading.
 */
@QuarkusTest
class OperatorAutoConfirmIT extends GatewayTestBase {

    @Test
    void givenAWaitingAction_whenAnOperatorActivates_thenTheNextPollOffersItForDeployment() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);
        Instant before = Instant.now();

        JsonPath on = as("alice", "operator").body(Map.of("remark", "fleet policy"))
                .post(autoConfirm(device.id()) + "/activate").then().statusCode(200).extract().jsonPath();

        assertThat(on.getBoolean("active")).isTrue();
        assertThat(on.getString("initiator")).isEqualTo("alice"); // the operator, when the body names no one
        assertThat(on.getString("remark")).isEqualTo("fleet policy");
        assertThat(Instant.parse(on.getString("activatedAt"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId + "?c=");
        assertThat(device.poll().getString("_links.confirmationBase")).isNull();
        device.deploymentBase(actionId);
        // what a viewer reads, and what the device's own confirmationBase shows, is the same switch
        JsonPath seen = as("victor", "viewer").get(autoConfirm(device.id())).then().statusCode(200).extract()
                .jsonPath();
        assertThat(seen.getBoolean("active")).isTrue();
        assertThat(seen.getString("initiator")).isEqualTo("alice");
        assertThat(seen.getString("remark")).isEqualTo("fleet policy");
        assertThat(seen.getString("activatedAt")).isEqualTo(on.getString("activatedAt"));
        JsonPath ddi = device.request().get(device.path() + "/confirmationBase").then().statusCode(200).extract()
                .jsonPath();
        assertThat(ddi.getBoolean("autoConfirm.active")).isTrue();
        assertThat(ddi.getString("autoConfirm.initiator")).isEqualTo("alice");
    }

    @Test
    void givenAutoConfirmOn_whenAnOperatorDeactivates_thenANewActionAsksAgain() {
        DdiDevice device = DdiDevice.random();
        device.poll();
        JsonPath on = as("olga", "operator").body(Map.of("initiator", "ops-team"))
                .post(autoConfirm(device.id()) + "/activate").then().statusCode(200).extract().jsonPath();
        assertThat(on.getString("initiator")).isEqualTo("ops-team");
        long first = Commands.newActionId();
        TestKafka.send(ConfirmationFlowIT.requiringConfirmation(device.id(), first));
        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/" + first + "?"));
        device.deploymentBase(first);
        assertThat(device.feedback(first, "closed", "success")).isEqualTo(200);

        // no body at all, as the console sends it
        Map<String, Object> off = as("olga", "operator").post(autoConfirm(device.id()) + "/deactivate").then()
                .statusCode(200).extract().jsonPath().getMap("");
        assertThat(off).containsExactly(Map.entry("active", false));
        assertThat(as("victor", "viewer").get(autoConfirm(device.id())).then().statusCode(200).extract().jsonPath()
                .getMap("")).containsExactly(Map.entry("active", false));

        long second = Commands.newActionId();
        TestKafka.send(ConfirmationFlowIT.requiringConfirmation(device.id(), second));
        eventually().until(() -> String.valueOf(device.poll().getString("_links.confirmationBase.href"))
                .contains("/" + second + "?"));
        assertThat(device.offeredDeployment()).isNull();
    }

    @Test
    void givenAViewerPublisherDeviceOrNoToken_whenSwitching_thenRefusedAndNothingChanges() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);
        DdiPollIT.provision(device, "own-token-" + device.id());

        for (String role : List.of("viewer", "publisher")) {
            as("someone", role).post(autoConfirm(device.id()) + "/activate").then().statusCode(403);
            as("someone", role).post(autoConfirm(device.id()) + "/deactivate").then().statusCode(403);
            as("someone", role).get(autoConfirm(device.id())).then().statusCode(200);
        }
        // the device's own DDI credentials do not open the management API, not even for itself
        for (String credentials : List.of("TargetToken own-token-" + device.id(),
                "GatewayToken " + DdiDevice.GATEWAY_TOKEN)) {
            for (String path : List.of("/activate", "/deactivate")) {
                given().header("Authorization", credentials).contentType(ContentType.JSON).body("{}")
                        .post(autoConfirm(device.id()) + path).then().statusCode(401);
            }
            given().header("Authorization", credentials).get(autoConfirm(device.id())).then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body("{}").post(autoConfirm(device.id()) + "/activate").then()
                .statusCode(401);

        assertStillAsking(device, actionId);
    }

    @Test
    void givenAnUnknownDevice_thenNotFoundAndNoDeviceIsCreated() {
        String unknown = "never-seen-" + DdiDevice.random().id();

        problem(as("victor", "viewer").get(autoConfirm(unknown)), 404);
        problem(as("olga", "operator").body(Map.of("remark", "x")).post(autoConfirm(unknown) + "/activate"), 404);
        problem(as("olga", "operator").post(autoConfirm(unknown) + "/activate"), 404);
        problem(as("olga", "operator").post(autoConfirm(unknown) + "/deactivate"), 404);

        as("victor", "viewer").get("/api/v1/devices/" + unknown).then().statusCode(404);
        as("victor", "viewer").get(autoConfirm(unknown)).then().statusCode(404);
    }

    @Test
    void givenHostileIdsAndBodies_thenProblemJson4xxAndNothingChanges() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);

        for (String hostile : List.of("a%2Fb", device.id() + "%2F..", "%00", "a%00b", "x".repeat(201), "a%20b",
                "a%0D%0Ab", "%2E%2E")) {
            for (String suffix : List.of("/activate", "/deactivate")) {
                Response answer = as("olga", "operator").urlEncodingEnabled(false)
                        .post("/api/v1/devices/" + hostile + "/auto-confirm" + suffix);
                assertThat(answer.statusCode()).as(hostile + suffix).isBetween(400, 404);
                assertThat(answer.contentType()).as(hostile + suffix).startsWith("application/problem+json");
            }
            Response read = as("victor", "viewer").urlEncodingEnabled(false)
                    .get("/api/v1/devices/" + hostile + "/auto-confirm");
            assertThat(read.statusCode()).as(hostile).isBetween(400, 404);
            assertThat(read.contentType()).as(hostile).startsWith("application/problem+json");
        }
        for (String body : List.of("{\"initiator\":\"" + "i".repeat(201) + "\"}",
                "{\"remark\":\"" + "r".repeat(1001) + "\"}", "{\"initiator\":\"nul\\u0000\"}",
                "{\"remark\":\"line\\nbreak\"}", "{\"initiator\":\"tab\\tbed\"}", "not json", "[]")) {
            Response answer = as("olga", "operator").body(body).post(autoConfirm(device.id()) + "/activate");
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.contentType()).as(body).startsWith("application/problem+json");
        }
        // a body that is not JSON is refused, not ignored (HostileRequestsIT once got a 200 for a text/plain one)
        for (String type : List.of("text/plain", "application/octet-stream", "application/xml")) {
            Response answer = as("olga", "operator").contentType(type)
                    .body("{\"remark\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post(autoConfirm(device.id()) + "/activate");
            assertThat(answer.statusCode()).as(type).isEqualTo(415);
            assertThat(answer.contentType()).as(type).startsWith("application/problem+json");
        }

        assertStillAsking(device, actionId);

        // switched on, a deactivate that carries a body changes nothing either
        as("olga", "operator").post(autoConfirm(device.id()) + "/activate").then().statusCode(200);
        for (Map.Entry<String, Integer> refused : Map.of("text/plain", 415, "application/json", 400).entrySet()) {
            Response answer = as("olga", "operator").contentType(refused.getKey())
                    .body("{\"remark\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post(autoConfirm(device.id()) + "/deactivate");
            assertThat(answer.statusCode()).as(refused.getKey()).isEqualTo(refused.getValue());
            assertThat(answer.contentType()).as(refused.getKey()).startsWith("application/problem+json");
        }
        assertThat(as("victor", "viewer").get(autoConfirm(device.id())).then().statusCode(200).extract().jsonPath()
                .getBoolean("active")).isTrue();
        // an empty JSON object, as the console sends it, switches it off
        as("olga", "operator").contentType("application/json").body("{ }").post(autoConfirm(device.id()) + "/deactivate")
                .then().statusCode(200);
        assertThat(as("victor", "viewer").get(autoConfirm(device.id())).then().statusCode(200).extract().jsonPath()
                .getBoolean("active")).isFalse();
    }

    /** Auto-confirm still off, and the action still waits for the device's answer. */
    private static void assertStillAsking(DdiDevice device, long actionId) {
        assertThat(as("victor", "viewer").get(autoConfirm(device.id())).then().statusCode(200).extract().jsonPath()
                .getBoolean("active")).isFalse();
        assertThat(device.poll().getString("_links.confirmationBase.href")).contains("/" + actionId + "?");
        assertThat(device.offeredDeployment()).isNull();
    }

    private static long awaitingConfirmation(DdiDevice device) {
        long actionId = Commands.newActionId();
        TestKafka.send(ConfirmationFlowIT.requiringConfirmation(device.id(), actionId));
        eventually().until(() -> String.valueOf(device.poll().getString("_links.confirmationBase.href"))
                .contains("/" + actionId + "?"));
        return actionId;
    }

    private static void problem(Response answer, int status) {
        answer.then().statusCode(status).contentType("application/problem+json");
        assertThat(answer.jsonPath().getString("detail")).isNotBlank();
    }

    private static String autoConfirm(String deviceId) {
        return "/api/v1/devices/" + deviceId + "/auto-confirm";
    }

    private static RequestSpecification as(String subject, String role) {
        return given().auth().oauth2(UpdraftStackResource.tokens().mint(subject, Duration.ofMinutes(10), role))
                .contentType(ContentType.JSON);
    }
}
