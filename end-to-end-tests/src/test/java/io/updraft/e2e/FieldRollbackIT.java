package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.fleet.FleetScenario.FailureMode;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.UpdraftCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, the field: devices that send no health before the install (SWUpdate-style agents report only after it)
 * and crash-loop after it; a one-device cohort whose install fails; a healthy cohort on the same release. Across the
 * four packaged services, a real broker and database, the simulated fleet speaking DDI, and the CI gate as a pipeline
 * runs it.
 */
class FieldRollbackIT {
    private static final String PREFIX = "field";
    private static final String HEALTHY = "gw-510";
    private static final String CRASHING = "gw-520";
    private static final String LONELY = "gw-530";

    @Test
    void crashLoopingAndOneDeviceCohortsAreRolledBackWithoutABaselineAndTheHealthyOneCompletes() throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        FleetScenario scenario = new FleetScenario(stack.service("device-gateway").url(), "DEFAULT",
                stack.gatewayToken(), PREFIX,
                List.of(new FleetScenario.HardwareMix(HEALTHY, "1.0", 8),
                        new FleetScenario.HardwareMix(CRASHING, "1.0", 8),
                        new FleetScenario.HardwareMix(LONELY, "1.0", 1)),
                List.of(new FleetScenario.FailureRule(CRASHING, "3.0.0", 1.0, FailureMode.CRASH_LOOP),
                        new FleetScenario.FailureRule(LONELY, "3.0.0", 1.0, FailureMode.INSTALL_FAILURE)),
                Duration.ofMillis(400), Duration.ofSeconds(1), "2.0.0");
        try (Fleet fleet = new Fleet(scenario).start()) {
            // given the fleet in the inventory; no device has sent any health report
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                    api.devices("filter=" + java.net.URLEncoder.encode("fleet == \"" + PREFIX + "\"",
                            java.nio.charset.StandardCharsets.UTF_8) + "&size=100").path("items").size() == 17);
            assertThat(fleet.stats().healthReports()).isZero();

            byte[] image = new byte[32 * 1024];
            new Random(3).nextBytes(image);
            JsonNode release = api.publishRelease("field-firmware", "3.0.0",
                    List.of(new UpdraftApi.Hardware(HEALTHY, "1.0"), new UpdraftApi.Hardware(CRASHING, "1.0"),
                            new UpdraftApi.Hardware(LONELY, "1.0")),
                    List.of(new UpdraftApi.Artifact("field-firmware-3.0.0.swu", image)));
            ObjectNode body = UpdraftApi.object().put("name", "field rollout")
                    .put("releaseId", release.path("id").asText()).put("soakTime", "PT3S");
            body.putObject("target").put("fleet", PREFIX);
            body.putArray("waves").add(50).add(100);
            String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));

            // when a CI job gates on it
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Map<String, String> env = EndToEndStack.cliEnvironment(stack);
            int status = UpdraftCli.execute(Path.of("target"), env, new PrintWriter(out, true),
                    new PrintWriter(err, true), "rollout", "watch", rolloutId, "--interval", "PT0.5S", "--timeout",
                    "PT4M");

            // then the gate fails (cohorts were rolled back) and says so
            assertThat(status).as(out + "\n" + err).isEqualTo(2);
            JsonNode rollout = api.rollout(rolloutId);
            assertThat(rollout.path("state").asText()).isEqualTo("COMPLETED");
            Map<String, String> cohortStates = new HashMap<>();
            rollout.path("cohorts").forEach(c -> cohortStates.put(c.path("cohort").asText(), c.path("state").asText()));
            assertThat(cohortStates).containsEntry(HEALTHY + ":1.0", "ACTIVE")
                    .containsEntry(CRASHING + ":1.0", "ROLLED_BACK").containsEntry(LONELY + ":1.0", "ROLLED_BACK");

            // and each verdict names its rule and the numbers that met it
            Map<String, JsonNode> decisions = new HashMap<>();
            api.rollbacks(rolloutId).forEach(d -> decisions.put(d.path("cohort").asText(), d));
            assertThat(decisions).containsOnlyKeys(CRASHING + ":1.0", LONELY + ":1.0");
            JsonNode crashing = decisions.get(CRASHING + ":1.0");
            assertThat(crashing.path("rule").asText()).isEqualTo("unhealthyDevices");
            assertThat(crashing.path("devicesCounted").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(crashing.path("devicesJudged").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(crashing.path("reason").asText()).startsWith("unhealthyDevices: ")
                    .contains("devices on the release reported unhealthy or crash-looped");
            JsonNode lonely = decisions.get(LONELY + ":1.0");
            assertThat(lonely.path("rule").asText()).isEqualTo("failedInstalls");
            assertThat(lonely.path("reason").asText()).isEqualTo(
                    "failedInstalls: 1 of 1 installs failed (1.00 >= 0.50, sample 1)");

            // and the healthy cohort runs the release; the rollout's history tells why the others stopped
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(fleet.versionsByModel().getOrDefault(HEALTHY, Map.of())).isEqualTo(Map.of("3.0.0", 8L)));
            JsonNode history = api.rolloutHistory(rolloutId, "limit=1000").path("entries");
            assertThat(history.findValuesAsText("type")).contains("COHORT_ROLLED_BACK", "COMPLETED");
        }
    }
}
