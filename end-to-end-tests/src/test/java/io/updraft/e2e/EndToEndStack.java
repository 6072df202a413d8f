package io.updraft.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** One broker, one PostgreSQL and the four packaged services for the whole test JVM. */
public final class EndToEndStack {
    private static LocalStack stack;

    public static synchronized LocalStack get() {
        if (stack == null) {
            stack = LocalStack.start(home(), root(), true, false, tuning());
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-stack-stop"));
        }
        return stack;
    }

    /**
     * A stack of its own beside the shared one (its own broker, PostgreSQL, keys and secrets under
     * {@code target/e2e-<pid>-<name>}), with the shared stack's tuning plus {@code settings} (e.g.
     * {@code updraft.tenancy.mode=multi}, TenantIsolationIT): for a test whose settings every service must start with.
     * It dies with this JVM; the caller closes it when done, so the JVM never keeps two such stacks longer than needed.
     */
    public static LocalStack startOwn(String name, Map<String, String> settings) {
        Map<String, String> tuning = new LinkedHashMap<>(tuning());
        tuning.putAll(settings);
        return LocalStack.start(home().resolveSibling(home().getFileName() + "-" + name), root(), true, false, tuning);
    }

    private static Path root() {
        return Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
    }

    private static Path home() {
        return root().resolve("end-to-end-tests/target/e2e-" + ProcessHandle.current().pid());
    }

    private static Map<String, String> tuning() {
        return Map.of(
                "updraft.gateway.polling.interval", "PT1S",
                "updraft.gateway.polling.active-interval", "PT1S",
                "updraft.telemetry.window", "2s",
                // every service's Kafka consumers: a member killed with SIGKILL (RolloutTwoInstancesIT,
                // RolloutSurvivesKillIT, RolloutWatchThroughRestartIT) holds its partitions until the broker stops
                // hearing from it; Kafka's 45 s default made each of those tests wait that long for the restarted
                // instance to get them back (telemetry's Streams consumers already run with these figures)
                "kafka.session.timeout.ms", "10000",
                "kafka.heartbeat.interval.ms", "1000",
                // the gateway's delta links (SwupdateDeltaIT): an HMAC key of this run, base64 of 32 bytes
                "updraft.gateway.delta.link-key", deltaLinkKey());
    }

    private static String deltaLinkKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Creates the rollout as soon as rollout-service knows its release (it learns of a release from Kafka, so a
     * create right after the publish may answer 422 for a moment): @return its id
     */
    public static String createRollout(UpdraftApi api, ObjectNode body, Duration atMost) {
        return await("rollout created").atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> response = api.tryCreateRollout(body);
            return response.statusCode() == 201 ? UpdraftApi.parse(response.body()).path("id").asText() : null;
        }, id -> id != null);
    }

    /** What a CI job exports for the CLI against this stack: the service URLs and an admin token. */
    static Map<String, String> cliEnvironment(LocalStack stack) {
        return Map.of("UPDRAFT_TOKEN", stack.adminToken(),
                "UPDRAFT_RELEASE_URL", stack.service("release-service").url(),
                "UPDRAFT_ROLLOUT_URL", stack.service("rollout-service").url(),
                "UPDRAFT_TELEMETRY_URL", stack.service("telemetry-service").url());
    }

    private EndToEndStack() {
    }
}
