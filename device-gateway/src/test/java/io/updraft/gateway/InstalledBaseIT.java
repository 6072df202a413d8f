package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.updraft.events.DeviceReport;
import io.updraft.testsupport.TestKafka;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET installedBase/{actionId} (hawkBit) and PUT installedBase (a version installed out of band). */
@QuarkusTest
class InstalledBaseIT extends GatewayTestBase {

    @Test
    void givenFinishedAction_whenInstalledBaseIsFetched_thenTheDeploymentShapeWithFinishedHistory() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        String installedPath = device.path() + "/installedBase/" + actionId;
        device.request().get(installedPath).then().statusCode(404).contentType("application/problem+json");
        device.deploymentBase(actionId);
        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);

        String link = device.poll().getString("_links.installedBase.href");
        JsonPath installed = device.request().get(installedPath).then().statusCode(200).extract().jsonPath();

        assertThat(link).endsWith(installedPath);
        assertThat(installed.getString("id")).isEqualTo(Long.toString(actionId));
        assertThat(installed.getString("actionHistory.status")).isEqualTo("FINISHED");
        assertThat(installed.getString("deployment.chunks[0].version")).isEqualTo("1.1.0");
        assertThat(installed.getString("deployment.chunks[0].artifacts[0].filename")).isEqualTo("fw-1.1.0.swu");
        // another device cannot see it
        DdiDevice other = DdiDevice.random();
        other.request().get(other.path() + "/installedBase/" + actionId).then().statusCode(404);
    }

    @Test
    void givenFailedAction_whenInstalledBaseIsFetched_then404AndNoInstalledBaseLink() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        assertThat(device.feedback(actionId, "closed", "failure")).isEqualTo(200);

        eventually().until(() -> device.poll().getString("_links.deploymentBase") == null);
        assertThat(device.poll().getMap("_links")).doesNotContainKey("installedBase");
        device.request().get(device.path() + "/installedBase/" + actionId).then().statusCode(404);
    }

    @Test
    void givenVersionInstalledOutOfBand_whenPut_thenInstalledVersionReported() {
        DdiDevice device = DdiDevice.random();

        device.request().contentType(ContentType.JSON)
                .body(Map.of("version", "1.2.0", "releaseId", "rel-77", "id", 4, "time", "20261127T151750"))
                .put(device.path() + "/installedBase").then().statusCode(200);
        device.request().contentType("application/hal+json").body(Map.of("version", "0.9.0"))
                .put(device.path() + "/installedBase").then().statusCode(200);

        eventually().until(() -> Reports.of(device.id(), DeviceReport.InstalledVersionReported.class).size() == 2);
        var reports = Reports.of(device.id(), DeviceReport.InstalledVersionReported.class);
        assertThat(reports.get(0).version()).isEqualTo("1.2.0");
        assertThat(reports.get(0).releaseId()).isEqualTo("rel-77");
        assertThat(reports.get(1).version()).isEqualTo("0.9.0");
        assertThat(reports.get(1).releaseId()).isNull();
        assertThat(Reports.of(device.id(), DeviceReport.DeviceRegistered.class)).hasSize(1);
    }

    @Test
    void givenInstalledBaseWithoutVersion_whenPut_then400AndNothingPublished() {
        DdiDevice device = DdiDevice.random();
        device.poll();

        device.request().contentType(ContentType.JSON).body(Map.of("releaseId", "rel-1"))
                .put(device.path() + "/installedBase").then().statusCode(400).contentType("application/problem+json");
        device.request().contentType(ContentType.JSON).body("{broken")
                .put(device.path() + "/installedBase").then().statusCode(400);

        Reports.awaitOne(device.id(), DeviceReport.DeviceSeen.class);
        assertThat(Reports.of(device.id(), DeviceReport.InstalledVersionReported.class)).isEmpty();
    }
}
