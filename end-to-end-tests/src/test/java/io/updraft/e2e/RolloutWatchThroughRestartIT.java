package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.UpdraftCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a CI job gating on {@code updraft rollout watch} must not fail because the rollout-service was killed and
 * restarted under it. The watch retries while the service is down and exits with the rollout's real outcome.
 */
class RolloutWatchThroughRestartIT {
    private static final String PREFIX = "watchkill";
    private static final String MODEL = "gw-320"; // a model of its own: the suite shares one inventory
    private static final int DEVICES = 12;

    @Test
    void givenAWatchedRollout_whenTheRolloutServiceIsKilledAndRestarted_thenTheWatchExitsWithTheRealOutcome()
            throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        FleetScenario scenario = new FleetScenario(stack.service("device-gateway").url(), "DEFAULT",
                stack.gatewayToken(), PREFIX, List.of(new FleetScenario.HardwareMix(MODEL, "1.0", DEVICES)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(1), "0.9.0");
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Fleet fleet = new Fleet(scenario).start()) {
            // given a fleet in the inventory and a three-wave rollout of a release for it
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> api.devices("model=" + MODEL + "&limit=500").path("items").size() == DEVICES);
            byte[] image = new byte[32 * 1024];
            new Random(16).nextBytes(image);
            JsonNode release = api.publishRelease("watchkill-firmware", "1.0.1",
                    List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                    List.of(new UpdraftApi.Artifact("watchkill-firmware-1.0.1.swu", image)));
            ObjectNode body = UpdraftApi.object().put("name", "watch through a restart")
                    .put("releaseId", release.path("id").asText()).put("soakTime", "PT2S");
            body.putObject("target").put("fleet", PREFIX);
            body.putArray("waves").add(25).add(50).add(100);
            String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));

            // and a CI job watching it, by its name, as docs/ci does
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Map<String, String> env = EndToEndStack.cliEnvironment(stack);
            CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> UpdraftCli.execute(
                    Path.of("target"), env, new PrintWriter(out, true), new PrintWriter(err, true), "rollout",
                    "watch", "watch through a restart", "--interval", "PT0.5S", "--retry-for", "PT3M", "--timeout",
                    "PT6M"), background);
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("wave 1/3"));
            assertThat(api.rollout(rolloutId).path("state").asText()).isEqualTo("RUNNING");

            // when the rollout-service is killed with SIGKILL while the watch polls it
            stack.service("rollout-service").kill9();
            await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("rollout-service unreachable"));
            assertThat(watch).isNotDone();
            // and started again
            stack.restart("rollout-service");

            // then the watch went on and exits 0: the rollout completed, its devices installed
            int status = watch.get(5, TimeUnit.MINUTES);
            assertThat(status).as(out + "\n" + err).isZero();
            assertThat(err.toString()).containsPattern(
                    "rollout-service unreachable \\([^)]+\\), retrying for up to (\\d+m)?(\\d+s)?");
            assertThat(out.toString()).contains("rollout " + rolloutId + " completed: " + DEVICES
                    + " device(s) installed (exit 0)");
            assertThat(api.rollout(rolloutId).path("state").asText()).isEqualTo("COMPLETED");
        } finally {
            background.shutdownNow();
        }
    }
}
