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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The real device agent: Debian's SWUpdate with its hawkBit suricatta module, unchanged, against the packaged
 * services. A CMS-signed {@code .swu} (throwaway key and certificate made here with openssl) is published, rolled out
 * to two devices; SWUpdate downloads it through the gateway, verifies its signature and hardware compatibility and
 * installs it. With no bootloader to keep its state, it confirms the result on its next start: {@code -c 2} (success)
 * for one device, {@code -c 3} (failure) for the other, and rollout-service records both.
 */
class SwupdateAgentIT {
    private static final String MODEL = "board";
    private static final String REVISION = "1.0";

    @Test
    void aRealSwupdateAgentInstallsTheRolledOutReleaseAndItsConfirmationIsRecorded() throws Exception {
        DeviceProvisioning.requireTools("apt-get install -y swupdate cpio openssl", "swupdate", "openssl", "cpio");
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(stack.home().resolve("swupdate-" + run)).toAbsolutePath();
        Path installed = Files.createDirectories(work.resolve("rootfs")).resolve("payload.txt");
        String payload = "Updraft firmware 1.0.1 for run " + run + "\n";
        SignedImage image = SignedImage.build(work, "1.0.1", REVISION, "payload.txt", payload.getBytes(), installed);

        // given two devices provisioned with their own target tokens and described as board 1.0
        String fleet = "swu-" + run;
        String first = fleet + "-1";
        String second = fleet + "-2";
        String firstToken = DeviceProvisioning.targetToken(stack, first);
        String secondToken = DeviceProvisioning.targetToken(stack, second);
        DeviceProvisioning.describe(stack, first, firstToken, MODEL, REVISION, fleet);
        DeviceProvisioning.describe(stack, second, secondToken, MODEL, REVISION, fleet);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId")
                        .containsAll(List.of(first, second)));

        // and a CMS-signed release for that hardware, rolled out to both
        JsonNode release = api.publishRelease("swu-firmware-" + run, "1.0.1",
                List.of(new UpdraftApi.Hardware(MODEL, REVISION)),
                List.of(new UpdraftApi.Artifact("firmware-1.0.1.swu", Files.readAllBytes(image.swu()))));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("soakTime", "PT1S");
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        // the boot-failure rule decides this cohort: one device that fails after its reboot is enough
        ObjectNode policy = body.putObject("rollbackPolicy");
        policy.putObject("failedInstalls").put("off", true);
        policy.putObject("bootFailures").put("count", 1);
        String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));

        // when SWUpdate runs for the first device: it downloads, verifies and installs the image
        SwupdateAgent agent = swupdate(stack, image, first, firstToken, null);
        try {
            agent.await("the file the image installs", Duration.ofSeconds(90),
                    () -> Files.exists(installed) && Files.readString(installed).equals(payload));
            agent.await("proceeding feedback", Duration.ofSeconds(30),
                    () -> "RUNNING".equals(actionState(api, rolloutId, first)));
        } finally {
            agent.stop();
        }
        // and on its next start it confirms success (-c 2)
        agent = swupdate(stack, image, first, firstToken, 2);
        try {
            agent.await("success recorded", Duration.ofSeconds(60),
                    () -> "SUCCEEDED".equals(actionState(api, rolloutId, first)));
        } finally {
            agent.stop();
        }
        await("inventory updated").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "1.0.1".equals(api.devices("model=" + MODEL + "&size=1000").findParents("deviceId")
                        .stream().filter(d -> d.path("deviceId").asText().equals(first)).findFirst()
                        .map(d -> d.path("installedVersion").asText()).orElse("")));

        // then a second device that installs and confirms failure (-c 3) is recorded as failed
        Files.delete(installed);
        agent = swupdate(stack, image, second, secondToken, null);
        try {
            agent.await("the second device's install", Duration.ofSeconds(90),
                    () -> Files.exists(installed) && "RUNNING".equals(actionState(api, rolloutId, second)));
            // what SWUpdate tells before it would reboot: the image is written
            agent.await("the second device's 'All Chunks Installed.'", Duration.ofSeconds(60),
                    () -> api.deviceHistory(second, "limit=1000").path("entries").findValuesAsText("details")
                            .stream().anyMatch(details -> details.contains("All Chunks Installed")));
        } finally {
            agent.stop();
        }
        agent = swupdate(stack, image, second, secondToken, 3);
        try {
            agent.await("failure recorded", Duration.ofSeconds(60),
                    () -> "FAILED".equals(actionState(api, rolloutId, second)));
        } finally {
            agent.stop();
        }
        assertThat(actionState(api, rolloutId, first)).isEqualTo("SUCCEEDED");

        // and, since it had said "All Chunks Installed." before its reboot, the failure counts as a boot failure:
        // the device's history says so, and telemetry's boot-failure rule rolls the cohort back
        await("boot failure in the device's history").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300)).until(() -> api.deviceHistory(second, "limit=1000")
                        .path("entries").findValuesAsText("type").contains("ACTION_BOOT_FAILED"));
        JsonNode decision = await("the boot-failure rule's verdict").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300)).until(() -> api.rollbacks(rolloutId).path(0),
                        d -> !d.isMissingNode());
        assertThat(decision.path("rule").asText()).isEqualTo("bootFailures");
        assertThat(decision.path("reason").asText()).startsWith("bootFailures: 1 of 2 devices failed to boot");
        assertThat(decision.path("devicesCounted").asLong()).isEqualTo(1);
    }

    private static String actionState(UpdraftApi api, String rolloutId, String device) {
        for (JsonNode action : api.rolloutActions(rolloutId)) {
            if (action.path("deviceId").asText().equals(device) && !action.path("rollback").asBoolean()) {
                return action.path("state").asText();
            }
        }
        return "NONE";
    }

    /** The agent for {@code device} against the stack's gateway, as a device of board 1.0 verifying our signature. */
    private static SwupdateAgent swupdate(LocalStack stack, SignedImage image, String device, String token,
            Integer confirm) throws IOException {
        SwupdateAgent.Launch launch = SwupdateAgent.forDevice(device, token)
                .gateway(stack.service("device-gateway").url()).hardware(MODEL, REVISION)
                .verifiedBy(image.certificate());
        return (confirm == null ? launch : launch.confirm(confirm)).start();
    }
}
