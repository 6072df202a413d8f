package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator cancels a device's pending action through the management API
 * ({@code POST /api/v1/devices/{id}/actions/{actionId}/cancel}); the device learns it through DDI's cancelAction
 * as it would from a rollout's CancelRequested.
 */
@QuarkusTest
class OperatorCancelIT extends GatewayTestBase {

    @Test
    void givenFetchedAction_whenOperatorCancels_thenThePollOffersCancelActionAndTheAckEndsItCanceled() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        JsonPath answer = cancel("operator", device.id(), actionId).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getLong("actionId")).isEqualTo(actionId);
        assertThat(answer.getString("status")).isEqualTo("CANCELING");
        assertThat(status(device, actionId)).isEqualTo("CANCELING"); // stored before the 200
        JsonPath poll = device.poll();
        assertThat(poll.getString("_links.cancelAction.href")).endsWith(device.path() + "/cancelAction/" + actionId);
        assertThat(poll.getString("_links.deploymentBase")).isNull();
        JsonPath cancelAction = device.request().get(device.path() + "/cancelAction/" + actionId).then()
                .statusCode(200).extract().jsonPath();
        assertThat(cancelAction.getString("id")).isEqualTo(Long.toString(actionId));
        assertThat(cancelAction.getString("cancelAction.stopId")).isEqualTo(Long.toString(actionId));
        assertThat(actionReports(device)).isEmpty(); // nothing reported until the device answers

        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200);

        assertThat(status(device, actionId)).isEqualTo("CANCELED");
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(actionId);
        assertThat(actionReports(device)).containsExactly("ActionCanceled");
        assertThat(device.poll().getMap("_links")).doesNotContainKeys("cancelAction", "deploymentBase");
        cancel("operator", device.id(), actionId).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void givenAReason_whenOperatorCancelsAFetchedAction_thenTheActorAndReasonAreKeptAndReachTheActionCanceled() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        String reason = "wrong image for site B\nticket OPS-12 — é";

        JsonPath answer = given().auth().oauth2(UpdraftStackResource.tokens().mint("alice", Duration.ofMinutes(10),
                "operator")).contentType("application/json").body(Map.of("reason", reason))
                .post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel")
                .then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("status")).isEqualTo("CANCELING");
        assertThat(answer.getString("cancelRequestedBy")).isEqualTo("alice");
        assertThat(answer.getString("cancelReason")).isEqualTo(reason);
        Map<String, Object> stored = action(device, actionId);
        assertThat(stored).containsEntry("cancelRequestedBy", "alice").containsEntry("cancelReason", reason);
        // a second operator's repeated cancel does not rewrite who asked first
        given().auth().oauth2(UpdraftStackResource.tokens().mint("bob", Duration.ofMinutes(10), "operator"))
                .contentType("application/json").body(Map.of("reason", "me too"))
                .post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel").then().statusCode(200);
        assertThat(action(device, actionId)).containsEntry("cancelRequestedBy", "alice");

        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200);

        DeviceReport.ActionCanceled canceled = Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class);
        assertThat(canceled.actionId()).isEqualTo(actionId);
        assertThat(canceled.canceledBy()).isEqualTo("alice");
        assertThat(canceled.reason()).isEqualTo(reason);
    }

    @Test
    void givenAReason_whenOperatorCancelsANeverFetchedAction_thenItsActionCanceledNamesThemAtOnce() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        given().auth().oauth2(token("operator")).contentType("application/json")
                .body(Map.of("reason", "  not tonight  "))
                .post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel")
                .then().statusCode(200);

        DeviceReport.ActionCanceled canceled = Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class);
        assertThat(canceled.canceledBy()).isEqualTo("operator"); // the token's subject
        assertThat(canceled.reason()).isEqualTo("not tonight");
    }

    @Test
    void givenNoReason_whenOperatorCancels_thenTheActorIsStillRecordedAndTheReasonIsNull() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        given().auth().oauth2(token("operator")).contentType("application/json").body("{}")
                .post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel")
                .then().statusCode(200);

        assertThat(action(device, actionId)).containsEntry("cancelRequestedBy", "operator")
                .containsEntry("cancelReason", null);
    }

    @Test
    void givenHostileReasons_whenOperatorCancels_thenEachIsA400AndTheActionGoesOn() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        for (String body : List.of("{\"reason\":\"a\\u0000b\"}", "{\"reason\":\"bell\\u0007\"}",
                "{\"reason\":\"" + "x".repeat(1001) + "\"}", "{\"reason\":", "{\"reason\":[1]}")) {
            Response answer = given().auth().oauth2(token("operator")).contentType("application/json").body(body)
                    .post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel");
            assertThat(answer.statusCode()).as(body.length() > 60 ? "over-long reason" : body).isEqualTo(400);
            assertThat(answer.contentType()).as(body.length() > 60 ? "over-long reason" : body)
                    .startsWith("application/problem+json");
        }

        assertThat(status(device, actionId)).isEqualTo("RETRIEVED");
        assertThat(action(device, actionId)).containsEntry("cancelRequestedBy", null);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }

    @Test
    void givenActionNeverFetched_whenOperatorCancels_thenItIsWithdrawnAtOnceAndReported() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        JsonPath answer = cancel("operator", device.id(), actionId).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("status")).isEqualTo("CANCELED");
        assertThat(device.poll().getMap("_links")).doesNotContainKeys("cancelAction", "deploymentBase");
        device.request().get(device.path() + "/deploymentBase/" + actionId).then().statusCode(404);
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(actionId);
    }

    @Test
    void givenCancelOffered_whenTheDeviceFinishedTheInstallFirst_thenItKeepsItsResult() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        cancel("operator", device.id(), actionId).then().statusCode(200);

        // the device installed before its next poll: its result arrives before any cancel acknowledgement
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200); // late ack: no effect

        assertThat(status(device, actionId)).isEqualTo("FINISHED");
        Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class);
        assertThat(actionReports(device)).containsExactly("ActionFinished:SUCCESS");
    }

    @Test
    void givenCancelAlreadyAsked_whenOperatorCancelsAgain_thenTheAnswerIsTheSameAndNothingMoreHappens() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        cancel("operator", device.id(), actionId).then().statusCode(200);

        JsonPath again = cancel("operator", device.id(), actionId).then().statusCode(200).extract().jsonPath();

        assertThat(again.getString("status")).isEqualTo("CANCELING");
        assertThat(device.offeredCancel()).endsWith("/cancelAction/" + actionId);
    }

    @Test
    void givenNonOperators_whenTheyCancel_thenTheyAreRefusedAndTheActionGoesOn() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        cancel("viewer", device.id(), actionId).then().statusCode(403);
        cancel("publisher", device.id(), actionId).then().statusCode(403);
        given().post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").post("/api/v1/devices/" + device.id() + "/actions/" + actionId + "/cancel")
                .then().statusCode(401);

        assertThat(status(device, actionId)).isEqualTo("RETRIEVED");
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }

    @Test
    void givenUnknownOrHostileTargets_whenOperatorCancels_thenClearProblemsAndNothingIsCreated() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        DdiDevice other = DdiDevice.random();
        long othersAction = fetchedAction(other);

        problem(cancel("operator", "never-seen-" + device.id(), actionId), 404);
        problem(cancel("operator", device.id(), Commands.newActionId()), 404);
        problem(cancel("operator", device.id(), othersAction), 404); // another device's action is not this one's
        for (String hostile : List.of("a%20b", "x".repeat(201), "%00", "a%0D%0Ab", "%C3%A9t%C3%A9")) {
            ExtractableResponse<Response> answer = given()
                    .auth().oauth2(token("operator")).urlEncodingEnabled(false)
                    .post("/api/v1/devices/" + hostile + "/actions/" + actionId + "/cancel").then().extract();
            assertThat(answer.statusCode()).as(hostile).isBetween(400, 404);
        }
        for (String badAction : List.of("abc", "99999999999999999999", "-", "1.5")) {
            assertThat(given().auth().oauth2(token("operator"))
                    .post("/api/v1/devices/" + device.id() + "/actions/" + badAction + "/cancel").statusCode())
                    .as(badAction).isBetween(400, 404);
        }

        assertThat(status(device, actionId)).isEqualTo("RETRIEVED");
        assertThat(status(other, othersAction)).isEqualTo("RETRIEVED");
        given().auth().oauth2(token("viewer")).get("/api/v1/devices/never-seen-" + device.id()).then().statusCode(404);
    }

    private static void problem(Response answer, int status) {
        answer.then().statusCode(status).contentType("application/problem+json");
        assertThat(answer.jsonPath().getString("detail")).isNotBlank();
    }

    private static Response cancel(String role, String deviceId, long actionId) {
        return given().auth().oauth2(token(role))
                .post("/api/v1/devices/" + deviceId + "/actions/" + actionId + "/cancel");
    }

    private static String token(String role) {
        return UpdraftStackResource.tokens().mint(role, Duration.ofMinutes(10), role);
    }

    private static Map<String, Object> action(DdiDevice device, long actionId) {
        List<Map<String, Object>> actions = given().auth().oauth2(token("viewer"))
                .get("/api/v1/devices/" + device.id()).then().statusCode(200).extract().jsonPath().getList("actions");
        return actions.stream().filter(action -> ((Number) action.get("actionId")).longValue() == actionId)
                .findFirst().orElseThrow();
    }

    private static String status(DdiDevice device, long actionId) {
        List<Map<String, Object>> actions = given().auth().oauth2(token("viewer"))
                .get("/api/v1/devices/" + device.id()).then().statusCode(200).extract().jsonPath().getList("actions");
        return actions.stream().filter(action -> ((Number) action.get("actionId")).longValue() == actionId)
                .map(action -> (String) action.get("status")).findFirst().orElse(null);
    }

    private static List<String> actionReports(DdiDevice device) {
        return Reports.of(device.id(), DeviceReport.class).stream().map(report -> {
            if (report instanceof DeviceReport.ActionProgressed progressed) {
                return "ActionProgressed:" + progressed.execution();
            }
            if (report instanceof DeviceReport.ActionFinished finished) {
                return "ActionFinished:" + finished.outcome();
            }
            return report.getClass().getSimpleName();
        }).filter(name -> name.startsWith("Action")).toList();
    }

    private static long fetchedAction(DdiDevice device) {
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        device.deploymentBase(actionId);
        return actionId;
    }
}
