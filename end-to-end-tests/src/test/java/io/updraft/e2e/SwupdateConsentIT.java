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
 * A rollout that requires the device's consent (issue 23), against Debian's SWUpdate 2022.12, whose suricatta knows
 * deploymentBase and cancelAction but not hawkBit's confirmationBase: a device the operator switched to auto-confirm
 * (the management API) installs as usual, and one that was never asked by anything it understands does not install —
 * its action ends EXPIRED at the rollout's confirmation deadline, named so in its history — and the rollout ends.
 */
class SwupdateConsentIT {
    private static final String MODEL = "board";
    private static final String REVISION = "1.0";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anAutoConfirmedSwupdateDeviceInstallsAndOneThatCannotAnswerExpiresAtTheConfirmationDeadline()
            throws Exception {
        DeviceProvisioning.requireTools("apt-get install -y swupdate cpio openssl", "swupdate", "openssl", "cpio");
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(stack.home().resolve("swupdate-consent-" + run)).toAbsolutePath();
        Path installed = Files.createDirectories(work.resolve("rootfs")).resolve("payload.txt");
        String payload = "consented " + run + "\n";
        SignedImage image = SignedImage.build(work, "1.0.3", REVISION, "payload.txt", payload.getBytes(), installed);
        String fleet = "swk-" + run;
        String consenting = fleet + "-1";
        String silent = fleet + "-2";
        String consentingToken = DeviceProvisioning.targetToken(stack, consenting);
        String silentToken = DeviceProvisioning.targetToken(stack, silent);
        DeviceProvisioning.describe(stack, consenting, consentingToken, MODEL, REVISION, fleet);
        DeviceProvisioning.describe(stack, silent, silentToken, MODEL, REVISION, fleet);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId")
                        .containsAll(List.of(consenting, silent)));

        // the operator switched auto-confirm on for the first device (this agent cannot answer confirmationBase)
        String gateway = stack.service("device-gateway").url();
        HttpResponse<String> activated = HTTP.send(HttpRequest.newBuilder(URI.create(gateway
                + "/api/v1/devices/" + consenting + "/auto-confirm/activate"))
                .header("Authorization", "Bearer " + stack.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"remark\":\"owner consented at purchase\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(UpdraftApi.parse(activated.body()).path("active").asBoolean()).isTrue();

        JsonNode release = api.publishRelease("swk-firmware-" + run, "1.0.3",
                List.of(new UpdraftApi.Hardware(MODEL, REVISION)),
                List.of(new UpdraftApi.Artifact("firmware-1.0.3.swu", Files.readAllBytes(image.swu()))));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("soakTime", "PT1S")
                .put("confirmationRequired", true).put("confirmationDeadline", "PT15S");
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));
        assertThat(api.rollout(rolloutId).path("confirmationDeadline").asText()).isEqualTo("PT15S");

        // the silent device's SWUpdate polls through the deadline: it is offered confirmationBase only, which this
        // agent does not know, so it never downloads, and its action ends at the deadline
        SwupdateAgent agent = swupdate(gateway, image, silent, silentToken, null);
        try {
            agent.await("the silent device's action EXPIRED", Duration.ofSeconds(120),
                    () -> "EXPIRED".equals(actionState(api, rolloutId, silent)));
        } finally {
            agent.stop();
        }
        assertThat(installed).doesNotExist();
        JsonNode expired = await("ACTION_EXPIRED in the silent device's history").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300)).until(() -> entry(api, silent, "ACTION_EXPIRED"),
                        e -> !e.isMissingNode());
        assertThat(expired.path("reason").asText()).isEqualTo("confirmation-deadline");

        // the consenting device's SWUpdate gets deploymentBase, installs, and on its next start confirms success
        agent = swupdate(gateway, image, consenting, consentingToken, null);
        try {
            agent.await("the consenting device's install", Duration.ofSeconds(90),
                    () -> Files.exists(installed) && Files.readString(installed).equals(payload)
                            && "RUNNING".equals(actionState(api, rolloutId, consenting)));
        } finally {
            agent.stop();
        }
        agent = swupdate(gateway, image, consenting, consentingToken, 2);
        try {
            agent.await("success recorded", Duration.ofSeconds(60),
                    () -> "SUCCEEDED".equals(actionState(api, rolloutId, consenting)));
        } finally {
            agent.stop();
        }
        await("the rollout finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.rollout(rolloutId).path("state").asText(), "COMPLETED"::equals);
        JsonNode wave = api.rollout(rolloutId).path("waves").path(0);
        assertThat(wave.path("succeeded").asLong()).isEqualTo(1);
        assertThat(wave.path("expired").asLong()).isEqualTo(1);
        assertThat(wave.path("failed").asLong()).isZero();
        assertThat(wave.path("denied").asLong()).isZero();
    }

    private static JsonNode entry(UpdraftApi api, String device, String type) {
        for (JsonNode entry : api.deviceHistory(device, "limit=1000").path("entries")) {
            if (entry.path("type").asText().equals(type)) {
                return entry;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String actionState(UpdraftApi api, String rolloutId, String device) {
        for (JsonNode action : api.rolloutActions(rolloutId)) {
            if (action.path("deviceId").asText().equals(device) && !action.path("rollback").asBoolean()) {
                return action.path("state").asText();
            }
        }
        return "NONE";
    }

    private static SwupdateAgent swupdate(String gateway, SignedImage image, String device, String token,
            Integer confirm) throws Exception {
        SwupdateAgent.Launch launch = SwupdateAgent.forDevice(device, token).gateway(gateway)
                .hardware(MODEL, REVISION).verifiedBy(image.certificate());
        return (confirm == null ? launch : launch.confirm(confirm)).start();
    }
}
