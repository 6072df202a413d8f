package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceReport;
import io.updraft.testsupport.TestKafka;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A device can never read or change another device's actions or artifacts, whatever the credential. */
@QuarkusTest
class DeviceIsolationIT extends GatewayTestBase {

    @Test
    void givenActionOfDeviceA_whenDeviceBUsesItsIdOnItsOwnPaths_thenEverythingIs404AndNothingChanges() {
        DdiDevice a = DdiDevice.random();
        DdiDevice b = DdiDevice.random();
        long actionId = Commands.newActionId();
        ArtifactRef artifact = Commands.artifact("os", "a-only.swu");
        TestKafka.send(Commands.install(a.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
        eventually().until(() -> a.offeredDeployment() != null);
        b.poll();

        b.request().get(b.path() + "/deploymentBase/" + actionId).then().statusCode(404);
        b.request().get(b.path() + "/cancelAction/" + actionId).then().statusCode(404);
        b.request().get(b.path() + "/installedBase/" + actionId).then().statusCode(404);
        assertThat(b.feedback(actionId, "closed", "success")).isEqualTo(404);
        assertThat(b.cancelFeedback(actionId, "closed", "success")).isEqualTo(404);
        b.request().get(b.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts/a-only.swu").then()
                .statusCode(404);

        // A's action is untouched: still offered, nothing reported about it
        assertThat(a.offeredDeployment()).contains("/deploymentBase/" + actionId);
        Reports.awaitOne(b.id(), DeviceReport.DeviceSeen.class);
        assertThat(Reports.of(a.id(), DeviceReport.ActionFinished.class)).isEmpty();
        assertThat(Reports.of(a.id(), DeviceReport.ActionCanceled.class)).isEmpty();
    }

    @Test
    void givenTargetTokenOfDeviceA_whenUsedOnEveryEndpointOfDeviceB_then401() {
        DdiDevice a = DdiDevice.random();
        DdiDevice b = DdiDevice.random();
        DdiPollIT.provision(a, "isolation-token-a");
        DdiPollIT.provision(b, "isolation-token-b");
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(b.id(), actionId));
        eventually().until(() -> b.offeredDeployment() != null);

        Supplier<RequestSpecification> asA = () -> given()
                .header("Authorization", "TargetToken isolation-token-a").contentType(ContentType.JSON);
        Map<String, Object> closed = Map.of("status", Map.of("execution", "closed",
                "result", Map.of("finished", "success")));
        asA.get().get(b.path()).then().statusCode(401);
        asA.get().get(b.path() + "/deploymentBase/" + actionId).then().statusCode(401);
        asA.get().body(closed).post(b.path() + "/deploymentBase/" + actionId + "/feedback").then().statusCode(401);
        asA.get().get(b.path() + "/cancelAction/" + actionId).then().statusCode(401);
        asA.get().body(Map.of("data", Map.of("k", "v"))).put(b.path() + "/configData").then().statusCode(401);
        asA.get().body(Map.of("version", "6.6.6")).put(b.path() + "/installedBase").then().statusCode(401);
        asA.get().get(b.path() + "/installedBase/" + actionId).then().statusCode(401);
        asA.get().body(Map.of("bootOk", true, "appHealthy", true)).post(b.path() + "/health").then().statusCode(401);
        asA.get().get(b.path() + "/softwaremodules/1/artifacts").then().statusCode(401);

        // B's own token works, and B's action was not touched
        given().header("Authorization", "TargetToken isolation-token-b").get(b.path()).then().statusCode(200);
        assertThat(b.offeredDeployment()).contains("/deploymentBase/" + actionId);
        assertThat(Reports.of(b.id(), DeviceReport.InstalledVersionReported.class)).isEmpty();
    }

    @Test
    void givenGatewayTokenInTheWrongCaseOrScheme_whenUsed_thenOnlyTheRightSecretCounts() {
        DdiDevice device = DdiDevice.random();
        given().header("Authorization", "gatewaytoken " + DdiDevice.GATEWAY_TOKEN).get(device.path()).then()
                .statusCode(200);
        given().header("Authorization", "GatewayToken " + DdiDevice.GATEWAY_TOKEN.toUpperCase()).get(device.path())
                .then().statusCode(401);
        given().header("Authorization", "GatewayToken").get(device.path()).then().statusCode(401);
        given().header("Authorization", "Basic " + DdiDevice.GATEWAY_TOKEN).get(device.path()).then().statusCode(401);
    }
}
