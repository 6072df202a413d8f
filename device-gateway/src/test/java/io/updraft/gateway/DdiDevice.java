package io.updraft.gateway;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.updraft.gateway.api.mapping.PollingSleep;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A device as the tests drive it over DDI, authenticated with the gateway token unless told otherwise. */
record DdiDevice(String id) {
    static final String GATEWAY_TOKEN = "test-gateway-token";

    static DdiDevice random() {
        return new DdiDevice("dev-" + UUID.randomUUID());
    }

    /** The sleep this device is told while nothing is pending: 5 min with its own ±10 % jitter. */
    String idleSleep() {
        return PollingSleep.format(PollingSleep.jittered(Duration.ofMinutes(5), 0.1, id));
    }

    /** The sleep while an action is pending: 30 s with its own jitter. */
    String activeSleep() {
        return PollingSleep.format(PollingSleep.jittered(Duration.ofSeconds(30), 0.1, id));
    }

    String path() {
        return "/DEFAULT/controller/v1/" + id;
    }

    RequestSpecification request() {
        return given().header("Authorization", "GatewayToken " + GATEWAY_TOKEN).accept(ContentType.JSON);
    }

    JsonPath poll() {
        return request().get(path()).then().statusCode(200).extract().jsonPath();
    }

    /** The deploymentBase href the poll offers, or null. */
    String offeredDeployment() {
        return poll().getString("_links.deploymentBase.href");
    }

    String offeredCancel() {
        return poll().getString("_links.cancelAction.href");
    }

    JsonPath deploymentBase(long actionId) {
        return request().get(path() + "/deploymentBase/" + actionId).then().statusCode(200).extract().jsonPath();
    }

    int feedback(long actionId, String execution, String finished) {
        return request().contentType(ContentType.JSON)
                .body(Map.of("id", actionId, "time", "20261127T151750", "status", Map.of("execution", execution,
                        "result", Map.of("finished", finished, "progress", Map.of("cnt", 0, "of", 1)),
                        "details", java.util.List.of("step " + execution))))
                .post(path() + "/deploymentBase/" + actionId + "/feedback").statusCode();
    }

    int cancelFeedback(long actionId, String execution, String finished) {
        return request().contentType(ContentType.JSON)
                .body(Map.of("id", actionId, "status", Map.of("execution", execution,
                        "result", Map.of("finished", finished))))
                .post(path() + "/cancelAction/" + actionId + "/feedback").statusCode();
    }
}
