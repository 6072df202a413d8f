package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code kill -9} of the device-gateway loses no pending action: after the restart the device gets the same one. */
class GatewayRestartIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aPendingActionIsOfferedUnchangedAfterTheGatewayIsKilledAndRestarted() throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String deviceId = "restart-" + run;
        String model = "restart-board-" + run; // hardware no other device has: the rollout can reach only this one
        String fleet = "restart-fleet-" + run;

        // given a device known to Updraft through plain DDI: first poll, then its attributes via configData
        assertThat(ddi(stack, "GET", deviceId, "", null).statusCode()).isEqualTo(200);
        HttpResponse<String> configData = ddi(stack, "PUT", deviceId, "/configData",
                "{\"mode\":\"merge\",\"data\":{\"model\":\"" + model + "\",\"revision\":\"1.0\",\"fleet\":\"" + fleet
                        + "\"}}");
        assertThat(configData.statusCode()).isEqualTo(200);

        // and a pending action for it: a release for its hardware, rolled out to its fleet attribute
        byte[] image = new byte[32 * 1024];
        new Random(3).nextBytes(image);
        JsonNode release = api.publishRelease("restart-fw-" + run, "2.0.0", List.of(new UpdraftApi.Hardware(model, "1.0")),
                List.of(new UpdraftApi.Artifact("restart-" + run + ".swu", image)));
        ObjectNode rollout = UpdraftApi.object().put("name", "gateway restart " + run)
                .put("releaseId", release.path("id").asText()).put("soakTime", "PT1S");
        rollout.putObject("target").put("fleet", fleet);
        rollout.putArray("waves").add(100);
        String rolloutId = EndToEndStack.createRollout(api, rollout, Duration.ofSeconds(60));
        String deploymentHref = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> poll(stack, deviceId).path("_links").path("deploymentBase").path("href").asText(null),
                        href -> href != null);
        JsonNode deploymentBefore = UpdraftApi.parse(get(stack, deploymentHref).body());
        assertThat(deploymentBefore.path("deployment").path("chunks").path(0).path("version").asText())
                .isEqualTo("2.0.0");

        // when the gateway is killed with SIGKILL and started again
        stack.service("device-gateway").kill9();
        stack.restart("device-gateway");

        // then the device is offered the same action, with the same link and the same deployment
        JsonNode pollAfter = poll(stack, deviceId);
        assertThat(pollAfter.path("_links").path("deploymentBase").path("href").asText()).isEqualTo(deploymentHref);
        HttpResponse<String> after = get(stack, deploymentHref);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(UpdraftApi.parse(after.body())).isEqualTo(deploymentBefore);

        // and the action goes on to its end: the device's success reaches the rollout
        HttpResponse<String> feedback = ddi(stack, "POST", deviceId,
                "/deploymentBase/" + deploymentBefore.path("id").asText() + "/feedback",
                "{\"id\":1,\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}");
        assertThat(feedback.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> "SUCCEEDED".equals(api.rolloutActions(rolloutId).path(0).path("state").asText()));
        assertThat(api.rolloutActions(rolloutId)).hasSize(1);
        assertThat(api.rolloutActions(rolloutId).path(0).path("deviceId").asText()).isEqualTo(deviceId);
    }

    private JsonNode poll(LocalStack stack, String deviceId) throws IOException, InterruptedException {
        HttpResponse<String> response = ddi(stack, "GET", deviceId, "", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return UpdraftApi.parse(response.body());
    }

    /** The href as the gateway handed it out (absolute), with the gateway token. */
    private HttpResponse<String> get(LocalStack stack, String href) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(href)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "GatewayToken " + stack.gatewayToken())
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ddi(LocalStack stack, String method, String deviceId, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.service("device-gateway").url()
                        + "/DEFAULT/controller/v1/" + deviceId + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "GatewayToken " + stack.gatewayToken())
                .header("Accept", "application/json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
