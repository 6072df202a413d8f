package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import io.updraft.launcher.UpdraftApi;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two rollout-service instances share one database and the consumer group, as two replicas on Kubernetes: a rollout
 * created on one is driven by both (commands, reports, wave gates), one of them is killed with SIGKILL mid-rollout
 * and started again, and every device still gets its action once and installs it once.
 */
class RolloutTwoInstancesIT {
    private static final String PREFIX = "pair";
    private static final String MODEL = "gw-310";
    private static final int DEVICES = 30;

    @Test
    void twoInstancesShareARolloutAndOneKilledMidwayLosesAndRepeatsNothing() throws Exception {
        LocalStack stack = EndToEndStack.get();
        ServiceProcess second = stack.startReplica("rollout-service");
        UpdraftApi first = UpdraftApi.of(stack);
        UpdraftApi other = new UpdraftApi(stack.service("release-service").url(), second.url(),
                stack.service("telemetry-service").url(), stack.adminToken());
        FleetScenario scenario = new FleetScenario(stack.service("device-gateway").url(), "DEFAULT",
                stack.gatewayToken(), PREFIX, List.of(new FleetScenario.HardwareMix(MODEL, "1.0", DEVICES)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(1), "0.9.0");
        try (Fleet fleet = new Fleet(scenario).start()) {
            // given the fleet known to both instances (one inventory) and a release for its hardware
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fleetDevicesKnown(first) == DEVICES && fleetDevicesKnown(other) == DEVICES);
            byte[] image = new byte[32 * 1024];
            new Random(11).nextBytes(image);
            JsonNode release = first.publishRelease("pair-firmware", "1.0.1", List.of(new UpdraftApi.Hardware(MODEL,
                    "1.0")), List.of(new UpdraftApi.Artifact("pair-firmware-1.0.1.swu", image)));

            // when a 3-wave rollout is created on the second instance
            ObjectNode body = UpdraftApi.object().put("name", "two instances")
                    .put("releaseId", release.path("id").asText()).put("soakTime", "PT1S")
                    .put("canaryPerCohort", 0);
            body.putObject("target").put("fleet", PREFIX);
            body.putArray("waves").add(20).add(50).add(100);
            String rolloutId = EndToEndStack.createRollout(other, body, Duration.ofSeconds(30));
            // and the first instance is killed with SIGKILL once wave 2 has started, then started again
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !"PENDING".equals(other.rollout(rolloutId).path("waves").path(1).path("state").asText()));
            stack.service("rollout-service").kill9();
            stack.restart("rollout-service");

            // then the rollout completes, and both instances tell the same story
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "COMPLETED".equals(other.rollout(rolloutId).path("state").asText()));
            assertThat(first.rollout(rolloutId).path("state").asText()).isEqualTo("COMPLETED");
            assertThat(other.rollout(rolloutId).path("waves"))
                    .allSatisfy(wave -> assertThat(wave.path("state").asText()).isEqualTo("DONE"));

            // and every device got exactly one action, which it installed exactly once
            JsonNode actions = first.rolloutActions(rolloutId);
            Map<String, Integer> perDevice = new HashMap<>();
            actions.forEach(action -> perDevice.merge(action.path("deviceId").asText(), 1, Integer::sum));
            assertThat(perDevice).hasSize(DEVICES);
            assertThat(perDevice.values()).allMatch(count -> count == 1);
            assertThat(actions).allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fleet.versionsByModel().equals(Map.of(MODEL, Map.of("1.0.1", (long) DEVICES))));
            assertThat(fleet.repeatedInstalls()).isEmpty();
        } finally {
            second.stop();
        }
    }

    private static long fleetDevicesKnown(UpdraftApi api) {
        JsonNode page = api.devices("model=" + MODEL + "&size=500");
        long count = 0;
        for (JsonNode device : page.path("items")) {
            if (device.path("deviceId").asText().startsWith(PREFIX + "-")) {
                count++;
            }
        }
        return count;
    }
}
