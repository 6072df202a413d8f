package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport;
import io.updraft.gateway.persistence.DeviceViewStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DdiPollIT extends GatewayTestBase {
    @Inject
    DeviceViewStore store;

    @Test
    void givenUnknownDeviceWithGatewayToken_whenItPolls_thenItIsRegisteredAndGetsTheSampleShape() {
        DdiDevice device = DdiDevice.random();

        JsonPath poll = device.request().get(device.path()).then()
                .statusCode(200)
                .contentType("application/json")
                .body("config.polling.sleep", equalTo(device.idleSleep()))
                .body("_links.configData.href", matchesPattern("http://[^/]+/DEFAULT/controller/v1/" + device.id() + "/configData"))
                .body("_links.deploymentBase", nullValue())
                .body("_links.cancelAction", nullValue())
                .extract().jsonPath();

        assertThat(poll.getMap("$")).containsOnlyKeys("config", "_links");
        DeviceReport.DeviceRegistered registered = Reports.awaitOne(device.id(), DeviceReport.DeviceRegistered.class);
        assertThat(registered.tenant()).isEqualTo("DEFAULT");
        Reports.awaitOne(device.id(), DeviceReport.DeviceSeen.class);
    }

    @Test
    void givenKnownDevice_whenItPollsWithNothingNew_thenNoSqlStatementRunsAndNoSecondRegistration() {
        DdiDevice device = DdiDevice.random();
        device.poll();
        // The registration's own NOTIFY arrives asynchronously and may evict once more: wait for a quiet cache.
        eventually().until(() -> {
            long statements = store.statements();
            device.poll();
            return store.statements() == statements;
        });
        long before = store.statements();

        for (int i = 0; i < 5; i++) {
            assertThat(device.poll().getString("config.polling.sleep")).isEqualTo(device.idleSleep());
        }

        assertThat(store.statements()).isEqualTo(before);
        Reports.awaitOne(device.id(), DeviceReport.DeviceSeen.class);
        assertThat(Reports.of(device.id(), DeviceReport.DeviceRegistered.class)).hasSize(1);
        assertThat(Reports.of(device.id(), DeviceReport.DeviceSeen.class)).hasSize(1);
    }

    @Test
    void givenNoOrWrongToken_whenPolling_then401WithTargetTokenChallenge() {
        DdiDevice device = DdiDevice.random();

        given().get(device.path()).then().statusCode(401)
                .header("WWW-Authenticate", "TargetToken")
                .contentType("application/problem+json");
        given().header("Authorization", "GatewayToken wrong").get(device.path()).then().statusCode(401);
        given().header("Authorization", "TargetToken whatever").get(device.path()).then().statusCode(401);
        given().header("Authorization", "Bearer " + UpdraftStackResource.tokens().admin()).get(device.path())
                .then().statusCode(401);
    }

    @Test
    void givenTargetTokenOfDeviceA_whenUsedOnA_thenAcceptedAndOnB_thenRejected() {
        DdiDevice a = DdiDevice.random();
        DdiDevice b = DdiDevice.random();
        provision(a, "token-of-a-0123");
        provision(b, "token-of-b-0123");

        given().header("Authorization", "TargetToken token-of-a-0123").get(a.path()).then().statusCode(200)
                .body("config.polling.sleep", equalTo(a.idleSleep()));
        given().header("Authorization", "TargetToken token-of-a-0123").get(b.path()).then().statusCode(401);
        given().header("Authorization", "TargetToken token-of-a-0123")
                .get(b.path() + "/softwaremodules/1/artifacts").then().statusCode(401);

        // rotating the token invalidates the old one at once (the cached view is evicted)
        provision(a, "token-of-a-rotated");
        given().header("Authorization", "TargetToken token-of-a-0123").get(a.path()).then().statusCode(401);
        given().header("Authorization", "TargetToken token-of-a-rotated").get(a.path()).then().statusCode(200);
    }

    @Test
    void givenOtherTenant_whenPolling_then404() {
        DdiDevice device = DdiDevice.random();
        device.request().get("/OTHER/controller/v1/" + device.id()).then().statusCode(404)
                .contentType("application/problem+json");
        device.request().get("/default/controller/v1/" + device.id()).then().statusCode(200);
    }

    @Test
    void givenTokenProvisioning_whenCallerLacksOperatorRole_thenRefused() {
        String path = "/api/v1/devices/" + DdiDevice.random().id() + "/token";
        Map<String, String> body = Map.of("token", "some-token-123");

        given().contentType(ContentType.JSON).body(body).put(path).then().statusCode(401);
        given().auth().oauth2(UpdraftStackResource.tokens().mint("v", Duration.ofMinutes(10), "viewer"))
                .contentType(ContentType.JSON).body(body).put(path).then().statusCode(403);
        given().auth().oauth2(UpdraftStackResource.tokens().mint("o", Duration.ofMinutes(10), "operator"))
                .contentType(ContentType.JSON).body(Map.of("token", "")).put(path).then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void givenNoCredentials_whenOperationalEndpointsAreCalled_thenTheyAnswer() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void givenPolls_whenMetricsAreRead_thenPollsAreCountedWithoutAPerRequestTimerWhileOtherRoutesKeepTheirs() {
        DdiDevice device = DdiDevice.random();
        device.poll();
        double before = metric("updraft_gateway_polls_total");

        for (int i = 0; i < 3; i++) {
            device.poll();
        }
        device.request().contentType(ContentType.JSON).body(Map.of("data", Map.of("board", "rev-b")))
                .put(device.path() + "/configData").then().statusCode(200);

        assertThat(metric("updraft_gateway_polls_total") - before).isEqualTo(3);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("uri=\"/{tenant}/controller/v1/{controllerId}\"")
                .contains("uri=\"/{tenant}/controller/v1/{controllerId}/configData\"");
    }

    /** Sum of a metric's series on /q/metrics. */
    private static double metric(String name) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    static void provision(DdiDevice device, String token) {
        given().auth().oauth2(UpdraftStackResource.tokens().mint("op", Duration.ofMinutes(10), "operator"))
                .contentType(ContentType.JSON).body(Map.of("token", token))
                .put("/api/v1/devices/" + device.id() + "/token").then().statusCode(204);
    }
}
