package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.e2e.swupdate.DeviceProvisioning;
import io.updraft.e2e.swupdate.SignedImage;
import io.updraft.e2e.swupdate.SwupdateAgent;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An operator cancels a device's pending action at the gateway, and Debian's SWUpdate (suricatta's hawkBit module,
 * unchanged) carries it out: the action was fetched (so the gateway must ask, not withdraw), the agent's first poll
 * gets {@code cancelAction}, it acknowledges (suricatta's {@code server_send_cancel_reply}), the action ends
 * CANCELED at the gateway and in the rollout, and the image is never installed.
 */
class SwupdateCancelIT {
    private static final String MODEL = "board";
    private static final String REVISION = "1.0";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRealSwupdateAgentAcknowledgesAnOperatorsCancelAndNeverInstalls() throws Exception {
        DeviceProvisioning.requireTools("apt-get install -y swupdate cpio openssl", "swupdate", "openssl", "cpio");
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(stack.home().resolve("swupdate-cancel-" + run)).toAbsolutePath();
        Path installed = Files.createDirectories(work.resolve("rootfs")).resolve("payload.txt");
        SignedImage image = SignedImage.build(work, "1.0.2", REVISION, "payload.txt",
                ("canceled " + run + "\n").getBytes(), installed);
        String fleet = "swc-" + run;
        String device = fleet + "-1";
        String token = DeviceProvisioning.targetToken(stack, device);
        DeviceProvisioning.describe(stack, device, token, MODEL, REVISION, fleet);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId").contains(device));
        JsonNode release = api.publishRelease("swc-firmware-" + run, "1.0.2",
                List.of(new UpdraftApi.Hardware(MODEL, REVISION)),
                List.of(new UpdraftApi.Artifact("firmware-1.0.2.swu", Files.readAllBytes(image.swu()))));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("soakTime", "PT1S");
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));

        // the device had fetched its deployment (as an agent that went offline mid-way): the gateway must ask it
        String ddi = stack.service("device-gateway").url() + "/DEFAULT/controller/v1/" + device;
        String deployment = await("deploymentBase offered").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> UpdraftApi.parse(ddi(ddi, token).body()).path("_links").path("deploymentBase")
                        .path("href").asText(null), href -> href != null);
        assertThat(ddi(deployment, token).statusCode()).isEqualTo(200);
        long actionId = Long.parseLong(URI.create(deployment).getPath().replaceAll(".*/", ""));

        // the operator cancels it
        HttpResponse<String> cancel = HTTP.send(HttpRequest.newBuilder(URI.create(stack.service("device-gateway").url()
                + "/api/v1/devices/" + device + "/actions/" + actionId + "/cancel"))
                .header("Authorization", "Bearer " + stack.adminToken()).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(UpdraftApi.parse(cancel.body()).path("status").asText()).isEqualTo("CANCELING");

        // SWUpdate starts, sees cancelAction on its first poll and acknowledges it
        SwupdateAgent agent = SwupdateAgent.forDevice(device, token).gateway(stack.service("device-gateway").url())
                .hardware(MODEL, REVISION).verifiedBy(image.certificate()).start();
        try {
            agent.await("the action CANCELED in the rollout", Duration.ofSeconds(90),
                    () -> "CANCELED".equals(actionState(api, rolloutId, device)));
            agent.await("the action CANCELED at the gateway", Duration.ofSeconds(30),
                    () -> gatewayStatus(stack, device, actionId).equals("CANCELED"));
        } finally {
            agent.stop();
        }
        assertThat(installed).doesNotExist();
        assertThat(api.deviceHistory(device, "limit=1000").path("entries").findValuesAsText("type"))
                .contains("ACTION_CANCELED").doesNotContain("ACTION_SUCCEEDED", "ACTION_FAILED");
        JsonNode wave = api.rollout(rolloutId).path("waves").path(0);
        assertThat(wave.path("canceled").asLong()).isEqualTo(1);
        assertThat(wave.path("retried").asLong()).isZero();
    }

    private static HttpResponse<String> ddi(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "TargetToken " + token)
                .header("Accept", "application/hal+json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String gatewayStatus(LocalStack stack, String device, long actionId) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(stack.service("device-gateway").url()
                + "/api/v1/devices/" + device)).header("Authorization", "Bearer " + stack.adminToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode action : UpdraftApi.parse(answer.body()).path("actions")) {
            if (action.path("actionId").asLong() == actionId) {
                return action.path("status").asText();
            }
        }
        return "NONE";
    }

    private static String actionState(UpdraftApi api, String rolloutId, String device) {
        for (JsonNode action : api.rolloutActions(rolloutId)) {
            if (action.path("deviceId").asText().equals(device) && !action.path("rollback").asBoolean()) {
                return action.path("state").asText();
            }
        }
        return "NONE";
    }
}
