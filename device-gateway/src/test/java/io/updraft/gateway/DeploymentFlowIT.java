package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.MaintenanceWindow;
import io.updraft.gateway.service.DeviceViewCache;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
class DeploymentFlowIT extends GatewayTestBase {
    @Inject
    DeviceViewCache cache;

    @Test
    void givenInstallRequested_whenDevicePollsAndReports_thenProgressAndSuccessArePublishedOnce() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        ArtifactRef os = Commands.artifact("os", "fw-1.1.0.swu");
        ArtifactRef app = Commands.artifact("app", "app.swu");
        TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, List.of(os, app)));

        eventually().until(() -> device.offeredDeployment() != null);
        JsonPath poll = device.poll();
        assertThat(poll.getString("config.polling.sleep")).isEqualTo(device.activeSleep());
        assertThat(poll.getString("_links.deploymentBase.href"))
                .matches("http://[^/]+/DEFAULT/controller/v1/" + device.id() + "/deploymentBase/" + actionId
                        + "\\?c=-?\\d+");

        JsonPath base = device.deploymentBase(actionId);
        assertThat(base.getString("id")).isEqualTo(Long.toString(actionId));
        assertThat(base.getString("deployment.download")).isEqualTo("forced");
        assertThat(base.getString("deployment.update")).isEqualTo("forced");
        assertThat(base.getString("actionHistory.status")).isEqualTo("RUNNING");
        assertThat(base.getList("deployment.chunks.part")).containsExactly("os", "app");
        assertThat(base.getString("deployment.chunks[0].version")).isEqualTo("1.1.0");
        assertThat(base.getString("deployment.chunks[0].name")).isEqualTo("fw");
        Map<String, Object> artifact = base.getMap("deployment.chunks[0].artifacts[0]");
        assertThat(artifact).containsOnlyKeys("filename", "hashes", "size", "_links");
        assertThat(artifact.get("size")).isEqualTo(FakeReleaseService.SIZE);
        assertThat(base.getMap("deployment.chunks[0].artifacts[0].hashes"))
                .containsEntry("sha1", os.sha1()).containsEntry("md5", os.md5()).containsEntry("sha256", os.sha256());
        String href = base.getString("deployment.chunks[0].artifacts[0]._links.download.href");
        assertThat(href).endsWith(device.path() + "/softwaremodules/" + os.artifactId() + "/artifacts/fw-1.1.0.swu");
        assertThat(base.getString("deployment.chunks[0].artifacts[0]._links.download-http.href")).isEqualTo(href);
        assertThat(base.getString("deployment.chunks[0].artifacts[0]._links.md5sum.href")).isEqualTo(href + ".MD5SUM");
        assertThat(base.getString("deployment.chunks[0].artifacts[0]._links.md5sum-http.href")).isEqualTo(href + ".MD5SUM");

        assertThat(device.feedback(actionId, "proceeding", "none")).isEqualTo(200);
        DeviceReport.ActionProgressed progressed = Reports.awaitOne(device.id(), DeviceReport.ActionProgressed.class);
        assertThat(progressed.execution()).isEqualTo("proceeding");
        assertThat(progressed.rolloutId()).isEqualTo("rollout-" + actionId);
        assertThat(progressed.cohort()).isEqualTo(Commands.COHORT);

        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        DeviceReport.ActionFinished finished = Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class);
        assertThat(finished.outcome()).isEqualTo(DeviceReport.Outcome.SUCCESS);
        assertThat(finished.actionId()).isEqualTo(actionId);
        assertThat(finished.rolloutId()).isEqualTo("rollout-" + actionId);
        assertThat(finished.wave()).isEqualTo(2);
        assertThat(finished.cohort()).isEqualTo(Commands.COHORT);
        assertThat(finished.releaseId()).isEqualTo("release-" + actionId);
        assertThat(finished.version()).isEqualTo("1.1.0");

        assertThat(device.poll().getString("_links.deploymentBase")).isNull();
        assertThat(device.poll().getString("config.polling.sleep")).isEqualTo(device.idleSleep());
        assertThat(device.poll().getString("_links.installedBase.href"))
                .endsWith(device.path() + "/installedBase/" + actionId);
        device.request().get(device.path() + "/deploymentBase/" + actionId).then().statusCode(404);
        // a repeated final report is acknowledged, not published twice
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        Reports.awaitOne(device.id(), DeviceReport.DeviceSeen.class);
        assertThat(Reports.of(device.id(), DeviceReport.ActionFinished.class)).hasSize(1);
    }

    @Test
    void givenRunningAction_whenDeviceReportsFailure_thenActionFinishedFailureWithCappedDetails() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        List<String> log = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "line " + i + " " + "x".repeat(5000))
                .toList();
        device.request().contentType("application/hal+json")
                .body(Map.of("id", 7, "time", "20261127T151750", "unknownField", true,
                        "status", Map.of("execution", "closed", "result", Map.of("finished", "failure"), "details", log)))
                .post(device.path() + "/deploymentBase/" + actionId + "/feedback").then().statusCode(200);

        DeviceReport.ActionFinished finished = Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class);
        assertThat(finished.outcome()).isEqualTo(DeviceReport.Outcome.FAILURE);
        assertThat(finished.details()).hasSize(50).allSatisfy(line -> assertThat(line).hasSize(1000));
        assertThat(finished.afterInstalled()).isFalse(); // it never said the image was installed
    }

    @Test
    void givenAnImageReportedInstalled_whenTheDeviceLaterReportsFailure_thenItIsABootFailure() {
        // SWUpdate: "All Chunks Installed." while proceeding, then after the reboot (-c 3) closed + failure
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        device.deploymentBase(actionId);
        postFeedback(device, actionId, "proceeding", "none", List.of("Installing Update Chunk Artifacts."));
        assertThat(device.feedback(actionId, "closed", "failure")).isEqualTo(200);
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class).afterInstalled()).isFalse();

        DdiDevice rebooting = DdiDevice.random();
        long second = Commands.newActionId();
        TestKafka.send(Commands.install(rebooting.id(), second));
        eventually().until(() -> rebooting.offeredDeployment() != null);
        rebooting.deploymentBase(second);
        postFeedback(rebooting, second, "proceeding", "none", List.of("Installed Chunk.", "All Chunks Installed."));
        assertThat(rebooting.feedback(second, "closed", "failure")).isEqualTo(200);

        DeviceReport.ActionFinished finished = Reports.awaitOne(rebooting.id(), DeviceReport.ActionFinished.class);
        assertThat(finished.outcome()).isEqualTo(DeviceReport.Outcome.FAILURE);
        assertThat(finished.afterInstalled()).isTrue();
        assertThat(finished.bootFailure()).isTrue();
    }

    private static void postFeedback(DdiDevice device, long actionId, String execution, String finished,
            List<String> details) {
        device.request().contentType(ContentType.JSON)
                .body(Map.of("id", actionId, "status", Map.of("execution", execution,
                        "result", Map.of("finished", finished), "details", details)))
                .post(device.path() + "/deploymentBase/" + actionId + "/feedback").then().statusCode(200);
    }

    @Test
    void givenEachActionType_whenDeploymentBaseIsFetched_thenDownloadAndUpdateHandlingFollowHawkbit() {
        assertHandling(ActionType.FORCED, null, "forced", "forced");
        assertHandling(ActionType.SOFT, null, "attempt", "attempt");
        assertHandling(ActionType.DOWNLOAD_ONLY, null, "forced", "skip");
        assertHandling(ActionType.TIMEFORCED, Instant.now().plus(Duration.ofHours(1)), "attempt", "attempt");
        assertHandling(ActionType.TIMEFORCED, Instant.now().minus(Duration.ofMinutes(1)), "forced", "forced");
    }

    @Test
    void givenBadFeedback_whenPosted_then400Or404AndNothingChanges() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        String feedback = device.path() + "/deploymentBase/" + actionId + "/feedback";

        device.request().contentType(ContentType.JSON).body("{not json").post(feedback).then().statusCode(400)
                .contentType("application/problem+json");
        device.request().contentType(ContentType.JSON)
                .body(Map.of("status", Map.of("execution", "exploded", "result", Map.of("finished", "none"))))
                .post(feedback).then().statusCode(400).contentType("application/problem+json");
        device.request().contentType(ContentType.JSON).body(Map.of("id", 1)).post(feedback).then().statusCode(400);
        assertThat(device.feedback(Commands.newActionId(), "closed", "success")).isEqualTo(404);
        device.request().get(device.path() + "/deploymentBase/" + Commands.newActionId()).then().statusCode(404);

        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
        assertThat(device.feedback(actionId, "download", "none")).isEqualTo(200);
        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionProgressed.class).execution()).isEqualTo("download");
    }

    @Test
    void givenPendingAction_whenTheInMemoryCacheIsLost_thenTheActionIsStillOfferedFromTheDatabase() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        String before = device.offeredDeployment();

        cache.clear();

        assertThat(device.offeredDeployment()).isEqualTo(before);
    }

    @Test
    void givenSameCommandDeliveredAgain_whenTheActionIsAlreadyDone_thenItIsNotOfferedAgain() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        DeviceCommand.InstallRequested command = Commands.install(device.id(), actionId);
        TestKafka.send(command);
        TestKafka.send(command);
        eventually().until(() -> device.offeredDeployment() != null);
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);
        Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class);

        TestKafka.send(command);
        long marker = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), marker)); // applied after the redelivery: same partition, in order

        eventually().until(() -> String.valueOf(device.offeredDeployment()).contains("/deploymentBase/" + marker));
        assertThat(Reports.of(device.id(), DeviceReport.ActionFinished.class)).hasSize(1);
        assertThat(Reports.of(device.id(), DeviceReport.ActionCanceled.class)).isEmpty();
    }

    @Test
    void givenMaintenanceWindow_whenDeploymentBaseIsFetched_thenAvailableOrUnavailableAndUpdateSkippedWhileClosed() {
        DdiDevice open = DdiDevice.random();
        DdiDevice closed = DdiDevice.random();
        long openAction = Commands.newActionId();
        long closedAction = Commands.newActionId();
        TestKafka.send(Commands.install(open.id(), openAction, null,
                new MaintenanceWindow("* * * ? * *", "PT1H", "UTC")));
        TestKafka.send(Commands.install(closed.id(), closedAction, null,
                new MaintenanceWindow("0 0 0 1 1 ? 2099", "PT1H", "Europe/Berlin")));
        eventually().until(() -> open.offeredDeployment() != null && closed.offeredDeployment() != null);

        open.request().get(open.path() + "/deploymentBase/" + openAction).then().statusCode(200)
                .body("deployment.download", equalTo("forced"))
                .body("deployment.update", equalTo("forced"))
                .body("deployment.maintenanceWindow", equalTo("available"));
        closed.request().get(closed.path() + "/deploymentBase/" + closedAction).then().statusCode(200)
                .body("deployment.download", equalTo("forced"))
                .body("deployment.update", equalTo("skip"))
                .body("deployment.maintenanceWindow", equalTo("unavailable"));
    }

    @Test
    void givenActionWithoutMaintenanceWindow_whenFetched_thenTheFieldIsLeftOutAsInHawkbit() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        assertThat(device.deploymentBase(actionId).getMap("deployment"))
                .containsOnlyKeys("download", "update", "chunks");
    }

    @Test
    void givenUnreadableMaintenanceWindow_whenTheCommandArrives_thenItIsParkedOnTheDlqAndNothingIsOffered() {
        DdiDevice device = DdiDevice.random();
        var command = Commands.install(device.id(), Commands.newActionId(), null,
                new MaintenanceWindow("whenever it suits", "PT1H", "UTC"));
        TestKafka.send(command);

        String dlq = io.updraft.events.Topics.deadLetter(io.updraft.events.Topics.DEVICE_COMMANDS);
        eventually().until(() -> TestKafka.values(dlq, device.id()).stream()
                .anyMatch(v -> v.contains(command.eventId())));
        assertThat(device.offeredDeployment()).isNull();
    }

    private void assertHandling(ActionType type, Instant deadline, String download, String update) {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId, type, deadline,
                List.of(Commands.artifact("os", "a.swu"))));
        eventually().until(() -> device.offeredDeployment() != null);
        device.request().get(device.path() + "/deploymentBase/" + actionId + "?c=1").then().statusCode(200)
                .body("deployment.download", equalTo(download))
                .body("deployment.update", equalTo(update));
    }
}
