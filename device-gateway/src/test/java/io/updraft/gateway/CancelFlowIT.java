package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancelFlowIT extends GatewayTestBase {

    @Test
    void givenFetchedAction_whenCancelRequested_thenCancelIsOfferedAndConfirmationPublishesActionCanceled() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        TestKafka.send(Commands.cancel(device.id(), actionId));

        eventually().until(() -> device.offeredCancel() != null);
        JsonPath poll = device.poll();
        assertThat(poll.getString("_links.cancelAction.href")).endsWith(device.path() + "/cancelAction/" + actionId);
        assertThat(poll.getString("_links.deploymentBase")).isNull();
        JsonPath cancel = device.request().get(device.path() + "/cancelAction/" + actionId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(cancel.getString("id")).isEqualTo(Long.toString(actionId));
        assertThat(cancel.getString("cancelAction.stopId")).isEqualTo(Long.toString(actionId));

        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200);

        DeviceReport.ActionCanceled canceled = Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class);
        assertThat(canceled.actionId()).isEqualTo(actionId);
        assertThat(canceled.cohort()).isEqualTo(Commands.COHORT);
        assertThat(device.poll().getMap("_links")).doesNotContainKeys("cancelAction", "deploymentBase");
        device.request().get(device.path() + "/cancelAction/" + actionId).then().statusCode(404);
    }

    @Test
    void givenFetchedAction_whenNewerInstallArrives_thenCancelIsOfferedFirstAndTheNewActionAfterwards() {
        DdiDevice device = DdiDevice.random();
        long first = fetchedAction(device);
        long second = Commands.newActionId();

        TestKafka.send(Commands.install(device.id(), second));

        eventually().until(() -> device.offeredCancel() != null);
        assertThat(device.offeredCancel()).endsWith("/cancelAction/" + first);
        device.request().get(device.path() + "/deploymentBase/" + second).then().statusCode(404);

        assertThat(device.cancelFeedback(first, "canceled", "success")).isEqualTo(200);

        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + second);
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(first);
    }

    @Test
    void givenActionNeverFetched_whenNewerInstallArrives_thenTheOldOneIsWithdrawnAtOnce() {
        DdiDevice device = DdiDevice.random();
        long first = Commands.newActionId();
        long second = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), first));
        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/" + first + "?"));

        TestKafka.send(Commands.install(device.id(), second));

        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/" + second + "?"));
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(first);
        assertThat(device.feedback(first, "proceeding", "none")).isEqualTo(200); // late report on a withdrawn action
        assertThat(Reports.of(device.id(), DeviceReport.ActionProgressed.class)).isEmpty();
    }

    @Test
    void givenCancelOffered_whenDeviceRejectsIt_thenCancelIsDroppedAndTheActionContinues() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        TestKafka.send(Commands.cancel(device.id(), actionId));
        eventually().until(() -> device.offeredCancel() != null);

        assertThat(device.cancelFeedback(actionId, "rejected", "none")).isEqualTo(200);

        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
        DeviceReport.ActionProgressed rejected = Reports.awaitOne(device.id(), DeviceReport.ActionProgressed.class);
        assertThat(rejected.execution()).isEqualTo("cancel-rejected");
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class).outcome())
                .isEqualTo(DeviceReport.Outcome.SUCCESS);
    }

    @Test
    void givenActionNeverFetched_whenCancelRequested_thenItIsDroppedWithoutAskingTheDevice() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        TestKafka.send(Commands.cancel(device.id(), actionId));

        eventually().until(() -> device.poll().getString("_links.deploymentBase") == null);
        assertThat(device.offeredCancel()).isNull();
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(actionId);
    }

    // What each end of a cancel looks like from the gateway: its own state (management API) and exactly what it
    // reported on device-reports — the reports rollout-service learns the outcome from (CancelOutcomesIT
    // there replays these sequences and expects the same final state).

    @Test
    void givenCancelOffered_whenDeviceAcknowledges_thenTheActionEndsCanceledAndOnlyActionCanceledIsReported() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        TestKafka.send(Commands.cancel(device.id(), actionId));
        eventually().until(() -> "CANCELING".equals(status(device, actionId)));

        // suricatta's acknowledgement
        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200);

        assertThat(status(device, actionId)).isEqualTo("CANCELED");
        Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class);
        assertThat(actionReports(device)).containsExactly("ActionCanceled");
        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200); // repeated: nothing new
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200); // late result: ignored
        assertThat(status(device, actionId)).isEqualTo("CANCELED");
        assertThat(actionReports(device)).containsExactly("ActionCanceled");
    }

    @Test
    void givenCancelOffered_whenDeviceRejectsItAndFinishes_thenTheActionRunsAgainAndItsResultWins() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        TestKafka.send(Commands.cancel(device.id(), actionId));
        eventually().until(() -> "CANCELING".equals(status(device, actionId)));

        assertThat(device.cancelFeedback(actionId, "rejected", "none")).isEqualTo(200);
        assertThat(status(device, actionId)).isEqualTo("RUNNING");
        assertThat(device.feedback(actionId, "closed", "failure")).isEqualTo(200);

        assertThat(status(device, actionId)).isEqualTo("FAILED");
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class).outcome())
                .isEqualTo(DeviceReport.Outcome.FAILURE);
        assertThat(actionReports(device)).containsExactly("ActionProgressed:cancel-rejected", "ActionFinished:FAILURE");
    }

    @Test
    void givenCancelOffered_whenTheActionFinishesBeforeTheDeviceSeesTheCancel_thenItEndsFinishedAndALateAckChangesNothing() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        TestKafka.send(Commands.cancel(device.id(), actionId));
        eventually().until(() -> "CANCELING".equals(status(device, actionId)));

        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);

        assertThat(status(device, actionId)).isEqualTo("FINISHED");
        assertThat(device.poll().getMap("_links")).doesNotContainKeys("cancelAction", "deploymentBase");
        assertThat(device.cancelFeedback(actionId, "closed", "success")).isEqualTo(200);
        assertThat(status(device, actionId)).isEqualTo("FINISHED");
        Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class);
        assertThat(actionReports(device)).containsExactly("ActionFinished:SUCCESS");
    }

    @Test
    void givenAFinishedAction_whenTheCancelArrivesAfterwards_thenNothingChanges() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class);

        TestKafka.send(Commands.cancel(device.id(), actionId));
        TestKafka.send(Commands.install(device.id(), Commands.newActionId())); // a marker: commands apply in order
        eventually().until(() -> device.offeredDeployment() != null);

        assertThat(status(device, actionId)).isEqualTo("FINISHED");
        assertThat(actionReports(device)).containsExactly("ActionFinished:SUCCESS");
    }

    @Test
    void givenCancelOffered_whileTheDeviceDoesNotAnswer_thenTheActionStaysCancelingAndNothingIsReported() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        TestKafka.send(Commands.cancel(device.id(), actionId));

        eventually().until(() -> "CANCELING".equals(status(device, actionId)));
        assertThat(device.offeredCancel()).endsWith("/cancelAction/" + actionId);
        assertThat(actionReports(device)).isEmpty();
    }

    /** The action's status as the gateway's management API shows it. */
    private static String status(DdiDevice device, long actionId) {
        List<Map<String, Object>> actions = given()
                .auth().oauth2(UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer"))
                .get("/api/v1/devices/" + device.id()).then().statusCode(200).extract().jsonPath().getList("actions");
        return actions.stream().filter(action -> ((Number) action.get("actionId")).longValue() == actionId)
                .map(action -> (String) action.get("status")).findFirst().orElse(null);
    }

    /** The device's action reports in topic order: type, with the execution or outcome where it has one. */
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

    /** An action the device has fetched deploymentBase of (so a cancel must be asked, not imposed). */
    private static long fetchedAction(DdiDevice device) {
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        device.deploymentBase(actionId);
        return actionId;
    }
}
