package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.events.DeviceReport;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancelFlowTest extends GatewayTestBase {

    @Test
    void givenFetchedAction_whenCancelRequested_thenCancelIsOfferedAndConfirmationPublishesActionCanceled() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);

        Kafka.send(Commands.cancel(device.id(), actionId));

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

        Kafka.send(Commands.install(device.id(), second));

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
        Kafka.send(Commands.install(device.id(), first));
        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/" + first + "?"));

        Kafka.send(Commands.install(device.id(), second));

        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/" + second + "?"));
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(first);
        assertThat(device.feedback(first, "proceeding", "none")).isEqualTo(200); // late report on a withdrawn action
        assertThat(Reports.of(device.id(), DeviceReport.ActionProgressed.class)).isEmpty();
    }

    @Test
    void givenCancelOffered_whenDeviceRejectsIt_thenCancelIsDroppedAndTheActionContinues() {
        DdiDevice device = DdiDevice.random();
        long actionId = fetchedAction(device);
        Kafka.send(Commands.cancel(device.id(), actionId));
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
        Kafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        Kafka.send(Commands.cancel(device.id(), actionId));

        eventually().until(() -> device.poll().getString("_links.deploymentBase") == null);
        assertThat(device.offeredCancel()).isNull();
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionCanceled.class).actionId()).isEqualTo(actionId);
    }

    /** An action the device has fetched deploymentBase of (so a cancel must be asked, not imposed). */
    private static long fetchedAction(DdiDevice device) {
        long actionId = Commands.newActionId();
        Kafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        device.deploymentBase(actionId);
        return actionId;
    }
}
