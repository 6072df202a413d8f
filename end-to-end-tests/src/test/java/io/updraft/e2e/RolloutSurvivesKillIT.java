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

/** {@code kill -9} of the rollout-service in the middle of a rollout loses nothing and repeats nothing. */
class RolloutSurvivesKillIT {
    private static final String PREFIX = "crash";
    private static final int DEVICES = 24;

    @Test
    void aRolloutKilledMidWaveFinishesAfterRestartWithEveryDeviceGettingItsActionOnce() throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        FleetScenario scenario = new FleetScenario(stack.service("device-gateway").url(), "DEFAULT",
                stack.gatewayToken(), PREFIX, List.of(new FleetScenario.HardwareMix("gw-300", "2.0", DEVICES)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(1), "0.9.0");
        try (Fleet fleet = new Fleet(scenario).start()) {
            // given every device of the fleet in the inventory and a release for its hardware
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fleetDevicesKnown(api) == DEVICES);
            byte[] image = new byte[64 * 1024];
            new Random(7).nextBytes(image);
            JsonNode release = api.publishRelease("crash-firmware", "1.0.1", List.of(new UpdraftApi.Hardware("gw-300", "2.0")),
                    List.of(new UpdraftApi.Artifact("crash-firmware-1.0.1.swu", image)));

            // when a 3-wave rollout is running and the rollout-service is killed with SIGKILL mid-rollout
            ObjectNode body = UpdraftApi.object().put("name", "crash test").put("releaseId", release.path("id").asText())
                    .put("soakTime", "PT1S");
            body.putObject("target").put("fleet", PREFIX);
            body.putArray("waves").add(25).add(50).add(100);
            String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !"PENDING".equals(api.rollout(rolloutId).path("waves").path(1).path("state").asText()));
            ServiceProcess rolloutService = stack.service("rollout-service");
            rolloutService.kill9();

            // and started again
            stack.restart("rollout-service");

            // then the rollout finishes
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                    .until(() -> "COMPLETED".equals(api.rollout(rolloutId).path("state").asText()));
            JsonNode view = api.rollout(rolloutId);
            assertThat(view.path("waves")).allSatisfy(wave -> assertThat(wave.path("state").asText()).isEqualTo("DONE"));

            // and every device got exactly one action, which it installed exactly once
            JsonNode actions = api.rolloutActions(rolloutId);
            Map<String, Integer> perDevice = new HashMap<>();
            actions.forEach(action -> perDevice.merge(action.path("deviceId").asText(), 1, Integer::sum));
            assertThat(perDevice).hasSize(DEVICES);
            assertThat(perDevice.values()).allMatch(count -> count == 1);
            assertThat(actions).allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fleet.versionsByModel().equals(Map.of("gw-300", Map.of("1.0.1", (long) DEVICES))));
            assertThat(fleet.repeatedInstalls()).isEmpty();
        }
    }

    private static long fleetDevicesKnown(UpdraftApi api) {
        JsonNode page = api.devices("model=gw-300&size=500");
        long count = 0;
        for (JsonNode device : page.path("items")) {
            if (device.path("deviceId").asText().startsWith(PREFIX + "-")) {
                count++;
            }
        }
        return count;
    }
}
