package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.service.ExpirySweep;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * hawkBit's confirmation flow (issue 23): an install whose command requires confirmation is offered under
 * {@code confirmationBase} until the device answers; confirmed → deploymentBase as usual, denied → DENIED and
 * ActionDenied; auto-confirm per device skips the question. Shapes against hawkBit's documented DDI answers
 * (src/test/resources/ddi-samples/confirmationBase*.json, poll_with_confirmation.json).
 */
@QuarkusTest
class ConfirmationFlowIT extends GatewayTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ExpirySweep sweep;

    @Test
    void givenAnActionRequiringConfirmation_whenPolled_thenItIsOfferedUnderConfirmationBaseInHawkbitsShape()
            throws IOException {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);

        JsonNode poll = JSON.readTree(device.request().get(device.path()).then().statusCode(200).extract().asString());
        assertThat(poll.path("_links").has("deploymentBase")).isFalse();
        assertThat(poll.path("_links").path("confirmationBase").path("href").asText())
                .matches(".*" + device.path() + "/confirmationBase/" + actionId + "\\?c=-?\\d+");
        assertThat(DdiConformanceIT.shape(poll)).containsAll(DdiConformanceIT.shape(sample("poll_with_confirmation.json")));
        device.request().get(device.path() + "/deploymentBase/" + actionId).then().statusCode(404);

        JsonNode action = JSON.readTree(device.request().get(device.path() + "/confirmationBase/" + actionId)
                .then().statusCode(200).extract().asString());
        assertThat(DdiConformanceIT.shape(action)).containsAll(DdiConformanceIT.shape(sample("confirmationBase_action.json")));
        assertThat(action.path("id").asText()).isEqualTo(Long.toString(actionId));
        assertThat(action.path("actionHistory").path("status").asText()).isEqualTo("WAIT_FOR_CONFIRMATION");

        JsonNode base = JSON.readTree(device.request().get(device.path() + "/confirmationBase")
                .then().statusCode(200).extract().asString());
        assertThat(DdiConformanceIT.shape(base)).isEqualTo(DdiConformanceIT.shape(sample("confirmationBase.json")));
        assertThat(base.path("_links").path("confirmationBase").path("href").asText())
                .isEqualTo(poll.path("_links").path("confirmationBase").path("href").asText());
    }

    @Test
    void givenAWaitingAction_whenTheDeviceConfirms_thenItIsOfferedForDeploymentAndRunsAsAnyOther() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);

        assertThat(confirmation(device, actionId, Map.of("confirmation", "confirmed", "code", 200,
                "details", List.of("user accepted")))).isEqualTo(200);

        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId + "?c=");
        assertThat(device.poll().getString("_links.confirmationBase")).isNull();
        device.request().get(device.path() + "/confirmationBase/" + actionId).then().statusCode(404);
        // as hawkBit: an action no longer waiting is 404, a repeated answer included
        assertThat(confirmation(device, actionId, Map.of("confirmation", "confirmed"))).isEqualTo(404);
        assertThat(confirmation(device, actionId, Map.of("confirmation", "denied"))).isEqualTo(404);
        device.deploymentBase(actionId);
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class).outcome())
                .isEqualTo(DeviceReport.Outcome.SUCCESS);
        assertThat(actionReports(device)).containsExactly("ActionProgressed:confirmed", "ActionFinished:SUCCESS");
    }

    @Test
    void givenAWaitingAction_whenTheDeviceDenies_thenItEndsDeniedAndActionDeniedIsReportedOnce() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);

        assertThat(confirmation(device, actionId, Map.of("confirmation", "denied", "code", 451,
                "details", List.of("user said no\u0000", "not now")))).isEqualTo(200);

        DeviceReport.ActionDenied denied = Reports.awaitOne(device.id(), DeviceReport.ActionDenied.class);
        assertThat(denied.actionId()).isEqualTo(actionId);
        assertThat(denied.code()).isEqualTo(451);
        assertThat(denied.details()).containsExactly("user said no ", "not now");
        assertThat(denied.cohort()).isEqualTo(Commands.COHORT);
        assertThat(denied.rolloutId()).isEqualTo("rollout-" + actionId);
        assertThat(status(device, actionId)).isEqualTo("DENIED");
        assertThat(device.poll().getMap("_links")).doesNotContainKeys("confirmationBase", "deploymentBase");
        // as hawkBit: an answer on an action that is over is 410 Gone, a repeated one included; told once
        assertThat(confirmation(device, actionId, Map.of("confirmation", "denied"))).isEqualTo(410);
        assertThat(confirmation(device, actionId, Map.of("confirmation", "confirmed"))).isEqualTo(410);
        device.request().get(device.path() + "/deploymentBase/" + actionId).then().statusCode(404);
        device.request().get(device.path() + "/confirmationBase/" + actionId).then().statusCode(404);
        assertThat(actionReports(device)).containsExactly("ActionDenied");
    }

    @Test
    void givenAutoConfirmOn_thenActionsRequiringConfirmationGoStraightToDeploymentBase_andOffAsksAgain()
            throws IOException {
        DdiDevice device = DdiDevice.random();
        device.poll();
        assertThat(device.request().contentType(ContentType.JSON)
                .body(Map.of("initiator", "user-1", "remark", "fleet policy"))
                .post(device.path() + "/confirmationBase/activateAutoConfirm").statusCode()).isEqualTo(200);

        JsonNode base = JSON.readTree(device.request().get(device.path() + "/confirmationBase")
                .then().statusCode(200).extract().asString());
        assertThat(DdiConformanceIT.shape(base))
                .isEqualTo(DdiConformanceIT.shape(sample("confirmationBase_autoConfirm.json")));
        assertThat(base.path("autoConfirm").path("initiator").asText()).isEqualTo("user-1");
        assertThat(base.path("autoConfirm").path("remark").asText()).isEqualTo("fleet policy");

        long first = Commands.newActionId();
        TestKafka.send(requiringConfirmation(device.id(), first));
        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/" + first + "?"));
        assertThat(device.poll().getString("_links.confirmationBase")).isNull();
        device.deploymentBase(first);
        assertThat(device.feedback(first, "closed", "success")).isEqualTo(200);

        assertThat(device.request().post(device.path() + "/confirmationBase/deactivateAutoConfirm").statusCode())
                .isEqualTo(200);
        assertThat(device.request().get(device.path() + "/confirmationBase").then().statusCode(200).extract()
                .jsonPath().getBoolean("autoConfirm.active")).isFalse();
        long second = Commands.newActionId();
        TestKafka.send(requiringConfirmation(device.id(), second));
        eventually().until(() -> String.valueOf(device.poll().getString("_links.confirmationBase.href"))
                .contains("/" + second + "?"));
        assertThat(device.offeredDeployment()).isNull();
    }

    @Test
    void givenAWaitingAction_whenAutoConfirmIsSwitchedOn_thenItIsConfirmedAtOnce_andStaysSoWhenSwitchedOff() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);

        // hawkBit's body is optional
        assertThat(device.request().post(device.path() + "/confirmationBase/activateAutoConfirm").statusCode())
                .isEqualTo(200);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
        assertThat(device.request().post(device.path() + "/confirmationBase/deactivateAutoConfirm").statusCode())
                .isEqualTo(200);

        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }

    @Test
    void givenAWaitingActionPastItsExpiry_thenItExpiresAsAnyOtherAndAnAnswerIsGone() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        DeviceCommand.InstallRequested plain = requiringConfirmation(device.id(), actionId);
        TestKafka.send(new DeviceCommand.InstallRequested(plain.eventId(), plain.occurredAt(), plain.schemaVersion(),
                plain.deviceId(), actionId, plain.rolloutId(), plain.wave(), plain.cohort(), plain.releaseId(),
                plain.releaseName(), plain.version(), plain.artifacts(), plain.actionType(), null, false,
                java.time.Instant.now().plusSeconds(3), null, true));
        eventually().until(() -> String.valueOf(device.poll().getString("_links.confirmationBase.href"))
                .contains("/" + actionId + "?"));

        eventually().until(() -> device.poll().getString("_links.confirmationBase") == null);

        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionExpired.class).actionId()).isEqualTo(actionId);
        assertThat(status(device, actionId)).isEqualTo("EXPIRED");
        assertThat(confirmation(device, actionId, Map.of("confirmation", "confirmed"))).isEqualTo(410);
        device.request().get(device.path() + "/confirmationBase/" + actionId).then().statusCode(404);
        assertThat(actionReports(device)).containsExactly("ActionExpired");
    }

    @Test
    void givenAConfirmationDeadline_whenTheDeviceLetsItPass_thenTheActionExpiresWithThatReason() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        // the action itself would run for an hour; only the answer is due in 3 s
        TestKafka.send(requiringConfirmation(device.id(), actionId, Instant.now().plusSeconds(3600),
                Instant.now().plusSeconds(3)));
        eventually().until(() -> String.valueOf(device.poll().getString("_links.confirmationBase.href"))
                .contains("/" + actionId + "?"));

        eventually().until(() -> device.poll().getString("_links.confirmationBase") == null);

        DeviceReport.ActionExpired expired = Reports.awaitOne(device.id(), DeviceReport.ActionExpired.class);
        assertThat(expired.actionId()).isEqualTo(actionId);
        assertThat(expired.reason()).isEqualTo(DeviceReport.ActionExpired.CONFIRMATION_DEADLINE);
        assertThat(status(device, actionId)).isEqualTo("EXPIRED");
        assertThat(device.offeredDeployment()).isNull();
        assertThat(confirmation(device, actionId, Map.of("confirmation", "confirmed"))).isEqualTo(410);
        assertThat(actionReports(device)).containsExactly("ActionExpired");
    }

    @Test
    void givenAConfirmationDeadline_whenTheDeviceNeverComesBack_thenTheSweepExpiresIt_butNotAnAnsweredOne() {
        DdiDevice silent = DdiDevice.random();
        DdiDevice answered = DdiDevice.random();
        DdiDevice autoConfirmed = DdiDevice.random();
        autoConfirmed.poll();
        assertThat(autoConfirmed.request().post(autoConfirmed.path() + "/confirmationBase/activateAutoConfirm")
                .statusCode()).isEqualTo(200);
        long silentAction = awaitingConfirmation(silent, Instant.now().plusSeconds(4));
        long answeredAction = awaitingConfirmation(answered, Instant.now().plusSeconds(4));
        assertThat(confirmation(answered, answeredAction, Map.of("confirmation", "confirmed"))).isEqualTo(200);
        long autoAction = Commands.newActionId();
        TestKafka.send(requiringConfirmation(autoConfirmed.id(), autoAction, null, Instant.now().plusSeconds(4)));
        eventually().until(() -> String.valueOf(autoConfirmed.offeredDeployment()).contains("/" + autoAction + "?"));

        // none of them polls again: only the sweep can see the silent one's deadline pass
        eventually().until(() -> {
            sweep.sweep();
            return "EXPIRED".equals(status(silent, silentAction));
        });
        assertThat(Reports.awaitOne(silent.id(), DeviceReport.ActionExpired.class).reason())
                .isEqualTo(DeviceReport.ActionExpired.CONFIRMATION_DEADLINE);
        sweep.sweep();
        assertThat(status(answered, answeredAction)).isEqualTo("PENDING");
        assertThat(status(autoConfirmed, autoAction)).isEqualTo("PENDING");
        assertThat(answered.offeredDeployment()).contains("/deploymentBase/" + answeredAction);
        assertThat(autoConfirmed.offeredDeployment()).contains("/deploymentBase/" + autoAction);
    }

    @Test
    void givenAnActionWithoutConfirmation_thenConfirmationBaseKnowsNothingOfIt() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        device.request().get(device.path() + "/confirmationBase/" + actionId).then().statusCode(404);
        // nothing waits: 404 for either answer, as hawkBit
        assertThat(confirmation(device, actionId, Map.of("confirmation", "denied"))).isEqualTo(404);
        assertThat(confirmation(device, actionId, Map.of("confirmation", "confirmed"))).isEqualTo(404);
        assertThat(device.request().get(device.path() + "/confirmationBase").then().statusCode(200).extract()
                .jsonPath().getMap("_links")).containsOnlyKeys("activateAutoConfirm");
        assertThat(status(device, actionId)).isEqualTo("PENDING");
        assertThat(actionReports(device)).isEmpty();
    }

    @Test
    void givenHostileBodiesAndIds_thenProblemJson4xxAndNothingChanges() {
        DdiDevice device = DdiDevice.random();
        long actionId = awaitingConfirmation(device);
        String feedback = device.path() + "/confirmationBase/" + actionId + "/feedback";
        Map<String, Object> tooLong = new HashMap<>(Map.of("initiator", "x".repeat(201)));

        for (String body : List.of("{}", "{\"confirmation\":\"maybe\"}", "{\"confirmation\":\"CONFIRMED \"}",
                "{\"confirmation\":null}", "{\"confirmation\":\"denied\",\"code\":\"abc\"}",
                "{\"confirmation\":\"denied\",\"details\":\"not a list\"}", "not json", "[]", "")) {
            device.request().contentType(ContentType.JSON).body(body).post(feedback).then()
                    .statusCode(400).contentType("application/problem+json");
        }
        for (String id : List.of("abc", "99999999999999999999", "-1", "1.5")) {
            int code = device.request().contentType(ContentType.JSON).body(Map.of("confirmation", "denied"))
                    .post(device.path() + "/confirmationBase/" + id + "/feedback").statusCode();
            assertThat(code).as(id).isBetween(400, 404);
            assertThat(device.request().get(device.path() + "/confirmationBase/" + id).statusCode()).as(id)
                    .isBetween(400, 404);
        }
        for (Object body : List.of(tooLong, Map.of("remark", "line\nbreak"), Map.of("initiator", "nul\u0000"))) {
            device.request().contentType(ContentType.JSON).body(body)
                    .post(device.path() + "/confirmationBase/activateAutoConfirm").then().statusCode(400)
                    .contentType("application/problem+json");
        }

        assertThat(status(device, actionId)).isEqualTo("PENDING");
        assertThat(device.poll().getString("_links.confirmationBase.href")).contains("/" + actionId + "?");
        assertThat(device.request().get(device.path() + "/confirmationBase").then().extract().jsonPath()
                .getBoolean("autoConfirm.active")).isFalse();
        assertThat(actionReports(device)).isEmpty();
    }

    @Test
    void givenAnotherDevicesAction_thenNotFound_andAnotherDevicesTargetTokenIsRefused() {
        DdiDevice victim = DdiDevice.random();
        DdiDevice attacker = DdiDevice.random();
        long actionId = awaitingConfirmation(victim);
        DdiPollIT.provision(victim, "victim-token-" + victim.id());
        DdiPollIT.provision(attacker, "attacker-token-" + attacker.id());
        attacker.poll();

        // the gateway token may act for any device, but only on that device's own actions
        attacker.request().get(attacker.path() + "/confirmationBase/" + actionId).then().statusCode(404);
        assertThat(confirmation(attacker, actionId, Map.of("confirmation", "denied"))).isEqualTo(404);
        assertThat(confirmation(attacker, actionId, Map.of("confirmation", "confirmed"))).isEqualTo(404);
        // the attacker's own TargetToken opens none of the victim's confirmation paths
        String token = "TargetToken attacker-token-" + attacker.id();
        for (String path : List.of("/confirmationBase/" + actionId + "/feedback", "/confirmationBase/activateAutoConfirm",
                "/confirmationBase/deactivateAutoConfirm")) {
            given().header("Authorization", token).contentType(ContentType.JSON)
                    .body(Map.of("confirmation", "confirmed")).post(victim.path() + path).then().statusCode(401);
        }
        given().header("Authorization", token).get(victim.path() + "/confirmationBase").then().statusCode(401);
        given().header("Authorization", token).get(victim.path() + "/confirmationBase/" + actionId).then()
                .statusCode(401);
        // the victim's own TargetToken works
        given().header("Authorization", "TargetToken victim-token-" + victim.id())
                .get(victim.path() + "/confirmationBase/" + actionId).then().statusCode(200);

        assertThat(status(victim, actionId)).isEqualTo("PENDING");
        assertThat(victim.poll().getString("_links.confirmationBase.href")).contains("/" + actionId + "?");
        assertThat(victim.request().get(victim.path() + "/confirmationBase").then().extract().jsonPath()
                .getBoolean("autoConfirm.active")).isFalse();
    }

    static DeviceCommand.InstallRequested requiringConfirmation(String deviceId, long actionId) {
        DeviceCommand.InstallRequested plain = Commands.install(deviceId, actionId);
        return new DeviceCommand.InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, actionId, plain.rolloutId(), plain.wave(), plain.cohort(), plain.releaseId(),
                plain.releaseName(), plain.version(), plain.artifacts(), plain.actionType(), null, false, null, null,
                true);
    }

    static DeviceCommand.InstallRequested requiringConfirmation(String deviceId, long actionId, Instant expiresAt,
            Instant confirmBy) {
        DeviceCommand.InstallRequested plain = Commands.install(deviceId, actionId);
        return new DeviceCommand.InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, actionId, plain.rolloutId(), plain.wave(), plain.cohort(), plain.releaseId(),
                plain.releaseName(), plain.version(), plain.artifacts(), plain.actionType(), null, false, expiresAt,
                null, true, confirmBy);
    }

    private static long awaitingConfirmation(DdiDevice device) {
        return awaitingConfirmation(device, null);
    }

    private static long awaitingConfirmation(DdiDevice device, Instant confirmBy) {
        long actionId = Commands.newActionId();
        TestKafka.send(requiringConfirmation(device.id(), actionId, null, confirmBy));
        eventually().until(() -> String.valueOf(device.poll().getString("_links.confirmationBase.href"))
                .contains("/" + actionId + "?"));
        return actionId;
    }

    private static int confirmation(DdiDevice device, long actionId, Map<String, Object> body) {
        return device.request().contentType(ContentType.JSON).body(body)
                .post(device.path() + "/confirmationBase/" + actionId + "/feedback").statusCode();
    }

    private static String status(DdiDevice device, long actionId) {
        List<Map<String, Object>> actions = given()
                .auth().oauth2(UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer"))
                .get("/api/v1/devices/" + device.id()).then().statusCode(200).extract().jsonPath().getList("actions");
        return actions.stream().filter(action -> ((Number) action.get("actionId")).longValue() == actionId)
                .map(action -> (String) action.get("status")).findFirst().orElse(null);
    }

    /** The device's action reports in topic order, after the outbox relayed what the last answer wrote. */
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

    private static JsonNode sample(String name) throws IOException {
        try (InputStream in = ConfirmationFlowIT.class.getResourceAsStream("/ddi-samples/" + name)) {
            return JSON.readTree(in);
        }
    }
}
