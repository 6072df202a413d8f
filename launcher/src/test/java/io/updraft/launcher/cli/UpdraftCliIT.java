package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code updraft} CLI as a CI job runs it, against the four packaged services on a real broker and PostgreSQL,
 * with a simulated DDI fleet: publishing, listing, promoting and revoking releases, creating and controlling rollouts,
 * and the exit codes of {@code rollout watch} a pipeline gates on.
 */
class UpdraftCliIT {
    private static final String GOOD = "cli-a";
    private static final String BAD = "cli-b";
    private static final String BROKEN_VERSION = "2.0.0";
    private static final int PER_MODEL = 4;

    private static LocalStack stack;
    private static Fleet fleet;
    private static Path work;
    private static Map<String, String> env;
    private static String fleetName;

    /** What one CLI run printed and returned. */
    record Run(int status, String out, String err) {
        JsonNode json() {
            return UpdraftApi.parse(out);
        }
    }

    @BeforeAll
    static void startTheStackAndAFleet() throws Exception {
        Path root = Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
        work = root.resolve("launcher/target/cli-it-" + ProcessHandle.current().pid());
        stack = LocalStack.start(work.resolve("stack"), root, true, false, Map.of(
                "updraft.gateway.polling.interval", "PT1S",
                "updraft.gateway.polling.active-interval", "PT1S",
                "updraft.telemetry.window", "2s"));
        fleetName = "cli" + UUID.randomUUID().toString().substring(0, 6);
        fleet = new Fleet(new FleetScenario(stack.service("device-gateway").url(), "DEFAULT", stack.gatewayToken(),
                fleetName, List.of(new FleetScenario.HardwareMix(GOOD, "1.0", PER_MODEL),
                        new FleetScenario.HardwareMix(BAD, "1.0", PER_MODEL)),
                List.of(new FleetScenario.FailureRule(BAD, BROKEN_VERSION, 1.0)),
                Duration.ofMillis(300), Duration.ofSeconds(1), "1.0.0")).start();
        env = Map.of("UPDRAFT_RELEASE_URL", stack.service("release-service").url(),
                "UPDRAFT_ROLLOUT_URL", stack.service("rollout-service").url(),
                "UPDRAFT_TELEMETRY_URL", stack.service("telemetry-service").url(),
                "UPDRAFT_TOKEN", stack.adminToken());
        awaitInventory();
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void releaseCommands_publishIdempotentlyRefuseACorruptFileListShowAndPromote() throws Exception {
        String name = "cli-fw-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = image(name + "-1.0.1.swu", 4_000);

        Run published = cli("release", "publish", "--file", file.toString(), "--version", "1.0.1",
                "--hw", GOOD + ":1.0", "--hw", BAD + ":*", "--label", "git=abc123", "--notes", "first");
        Run again = cli("--output", "json", "release", "publish", "--file", file.toString(), "--version", "1.0.1",
                "--hw", GOOD + ":1.0", "--hw", BAD + ":*");
        Run corrupt = cli("release", "publish", "--file", file.toString(), "--name", name, "--version", "1.0.2",
                "--hw", GOOD + ":1.0", "--sha256", "0".repeat(64));
        Run badVersion = cli("release", "publish", "--file", file.toString(), "--name", name, "--version", "1.0",
                "--hw", GOOD + ":1.0");

        assertThat(published.status()).as(published.err()).isZero();
        assertThat(published.out()).contains("published " + name + " 1.0.1").contains(sha256(file));
        assertThat(again.status()).isZero();
        String id = again.json().path("id").asText();
        assertThat(again.json().path("labels").path("git").asText()).isEqualTo("abc123");
        assertThat(corrupt.status()).isEqualTo(1);
        assertThat(corrupt.err()).contains("not uploading");
        assertThat(badVersion.status()).isEqualTo(1);
        assertThat(badVersion.err()).contains("version");

        Run list = cli("--output", "json", "release", "list", "--name", name);
        assertThat(list.json().findValuesAsText("version")).containsExactly("1.0.1");
        Run show = cli("release", "show", name + "@1.0.1");
        assertThat(show.out()).contains(id).contains(GOOD + ":1.0").contains("PUBLISHED");
        Run promote = cli("release", "promote", id);
        assertThat(promote.out()).contains("STABLE");
        Run usage = cli("release", "publish", "--version", "1.0.0");
        assertThat(usage.status()).isEqualTo(64);
    }

    /**
     * LocalStack gives the gateway a delta-link key of the run (without one it answers 409 "not configured"); the CLI
     * hashes the .zck, mints the link with its token and prints the whole URL. No release holds this .zck, so the
     * link answers the gateway's uniform 404 (what a wrong key gets too); a bad token is refused with 401.
     */
    @Test
    void releaseDeltaLink_mintsALinkAtTheGatewayOfTheLocalStack() throws Exception {
        Path zck = image("cli-delta-" + UUID.randomUUID().toString().substring(0, 8) + "-2.0.0.zck", 2_000);
        String gateway = stack.service("device-gateway").url();
        Map<String, String> withGateway = new java.util.HashMap<>(env);
        withGateway.put("UPDRAFT_GATEWAY_URL", gateway);
        withGateway.put("UPDRAFT_DEVICE_URL", gateway);

        Run minted = run(withGateway, "--output", "json", "release", "delta-link", zck.toString());
        Run human = run(withGateway, "release", "delta-link", "--sha256", sha256(zck));
        Run badToken = run(withGateway, "--token", "not-a-jwt", "release", "delta-link", zck.toString());

        assertThat(minted.status()).as(minted.err()).isZero();
        String path = minted.json().path("path").asText();
        assertThat(minted.json().path("sha256").asText()).isEqualTo(sha256(zck));
        assertThat(path).matches("/delta/v1/[^/]+/" + sha256(zck) + "\\.zck\\?key=[A-Za-z0-9_-]{43}");
        assertThat(minted.json().path("url").asText()).isEqualTo(gateway + path);
        assertThat(human.status()).as(human.err()).isZero();
        assertThat(human.out().strip()).isEqualTo(gateway + path); // the same HMAC: the same link
        assertThat(badToken.status()).isEqualTo(1);
        assertThat(badToken.err()).contains("answered 401");
        java.net.http.HttpResponse<String> served = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(404); // served only once a release holding it reached a device
    }

    /**
     * The whole way: release-service makes the .zck of a published image ({@code delta=zchunk}), the CLI mints its link,
     * the link is 404 until a rollout sends the release to a device of this gateway, then serves the .zck's bytes
     * without credentials. A device of its own model and fleet, so the other tests' rollouts never see it.
     */
    @Test
    void releaseDeltaLink_servesTheZckOnceAReleaseHoldingItWasSentToADevice() throws Exception {
        String model = "cli-delta";
        String deltaFleet = "dl" + UUID.randomUUID().toString().substring(0, 6);
        String gateway = stack.service("device-gateway").url();
        try (Fleet one = new Fleet(new FleetScenario(gateway, "DEFAULT", stack.gatewayToken(), deltaFleet,
                List.of(new FleetScenario.HardwareMix(model, "1.0", 1)), List.of(), Duration.ofMillis(300),
                Duration.ofSeconds(1), "1.0.0")).start()) {
            String name = "cli-zck-" + UUID.randomUUID().toString().substring(0, 8);
            Path image = image(name + "-2.0.0.img", 300_000);
            UpdraftApi api = new UpdraftApi(env.get("UPDRAFT_RELEASE_URL"), env.get("UPDRAFT_ROLLOUT_URL"),
                    env.get("UPDRAFT_TELEMETRY_URL"), env.get("UPDRAFT_TOKEN"));
            com.fasterxml.jackson.databind.node.ObjectNode metadata = UpdraftApi.object().put("name", name)
                    .put("version", "2.0.0");
            metadata.putArray("hardware").addObject().put("model", model).put("revision", "1.0");
            JsonNode release = api.publishRelease(new UpdraftApi.ReleaseUpload(metadata, null, List.of(image),
                    List.of(sha256(image)), List.of(), false), Map.of("delta", "zchunk")).release();
            JsonNode zck = null;
            for (JsonNode artifact : release.path("artifacts")) {
                if (artifact.path("filename").asText().endsWith(".zck")) {
                    zck = artifact;
                }
            }
            assertThat(zck).as(release.toString()).isNotNull();
            Map<String, String> withGateway = new java.util.HashMap<>(env);
            withGateway.put("UPDRAFT_GATEWAY_URL", gateway);
            withGateway.put("UPDRAFT_DEVICE_URL", gateway);
            Run minted = run(withGateway, "--output", "id", "release", "delta-link", "--sha256",
                    zck.path("sha256").asText());
            assertThat(minted.status()).as(minted.err()).isZero();
            java.net.URI link = java.net.URI.create(minted.out().strip());
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(link).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> cli("--output", "json", "devices", "list", "--model", model, "--size", "1000").json()
                            .path("items").findValuesAsText("deviceId").stream().anyMatch(d -> d.startsWith(deltaFleet)));
            Run rollout = cli("--output", "json", "rollout", "create", "--release", name + "@2.0.0", "--target",
                    "fleet=" + deltaFleet);
            assertThat(rollout.status()).as(rollout.err()).isZero();

            byte[] served = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> http.send(java.net.http.HttpRequest.newBuilder(link).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray()),
                            response -> response.statusCode() == 200).body();
            assertThat(served).hasSize(zck.path("size").asInt());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served)))
                    .isEqualTo(zck.path("sha256").asText());
        }
    }

    @Test
    void noToken_isAClearError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = UpdraftCli.execute(work, Map.of("UPDRAFT_RELEASE_URL", env.get("UPDRAFT_RELEASE_URL")),
                new PrintWriter(out), new PrintWriter(err), "release", "list");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("UPDRAFT_TOKEN");
    }

    @Test
    void rolloutWatch_exits0WhenTheRolloutCompletesCleanly() throws Exception {
        String name = publish("1.1.0");

        String rolloutId = create(name + "@1.1.0", "--waves", "50,100", "--soak", "PT1S");
        Run watch = cli("rollout", "watch", rolloutId, "--timeout", "PT3M", "--interval", "PT0.5S");

        assertThat(watch.status()).as(watch.out() + watch.err()).isEqualTo(WatchVerdict.COMPLETED);
        assertThat(watch.out()).contains("wave 1/2").contains("wave 2/2").contains("DONE").contains("(exit 0)");
        // the inventory learns installed versions from device reports, a moment after the actions finished
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> cli("--output", "json", "devices", "list", "--filter", "model == \"" + GOOD
                        + "\" and version >= \"1.1.0\" and version < \"1.1.1\"", "--size", "1000").json().path("items")
                        .findValuesAsText("deviceId").stream().filter(device -> device.startsWith(fleetName))
                        .count() == PER_MODEL);
        assertThat(cli("devices", "list", "--model", GOOD, "--version", "1.1.0").out()).contains(fleetName)
                .contains("1.1.0");
        Run badFilter = cli("devices", "list", "--filter", "model == ");
        assertThat(badFilter.status()).isEqualTo(1);
        assertThat(badFilter.err()).contains("position");
        Run show = cli("rollout", "show", rolloutId);
        assertThat(show.out()).contains("COMPLETED");
    }

    @Test
    void rolloutWatch_exits6WhileAWaveWaitsForApproval_andPreviewShowsThePlanFirst() throws Exception {
        String name = publish("1.2.0");
        String[] plan = { "--release", name + "@1.2.0", "--target", "fleet=" + fleetName, "--filter",
                "model == \"" + GOOD + "\"", "--waves", "50,100", "--canary-per-cohort", "1", "--approval",
                "BEFORE_LATER_WAVES", "--soak", "PT1S" };

        Run preview = cli(concat(new String[] { "--output", "json", "rollout", "preview" }, plan));
        assertThat(preview.status()).as(preview.err()).isZero();
        assertThat(preview.json().path("matching").asInt()).isEqualTo(PER_MODEL);
        assertThat(preview.json().path("waves").findValuesAsText("devices")).containsExactly("2", "2");
        assertThat(preview.json().path("waves").findValuesAsText("approval")).containsExactly("false", "true");
        assertThat(cli(concat(new String[] { "rollout", "preview" }, plan)).out())
                .contains(PER_MODEL + " devices match").contains("(waits for approval)");

        String rolloutId = create(name + "@1.2.0", "--filter", "model == \"" + GOOD + "\"", "--waves", "50,100",
                "--canary-per-cohort", "1", "--approval", "BEFORE_LATER_WAVES", "--soak", "PT1S");
        Run waiting = cli("rollout", "watch", rolloutId, "--timeout", "PT3M", "--interval", "PT0.5S");
        assertThat(waiting.status()).as(waiting.out() + waiting.err()).isEqualTo(WatchVerdict.AWAITING_APPROVAL);
        assertThat(waiting.out()).contains("waits for approval of wave 2").contains("rollout approve " + rolloutId)
                .contains("(exit 6)");

        assertThat(cli("rollout", "approve", rolloutId).out()).contains("RUNNING");
        Run watch = cli("rollout", "watch", rolloutId, "--timeout", "PT3M", "--interval", "PT0.5S");
        assertThat(watch.status()).as(watch.out() + watch.err()).isEqualTo(WatchVerdict.COMPLETED);
        assertThat(watch.out()).contains("wave 2/2").contains("DONE");
    }

    @Test
    void rolloutWatch_exits2WhenACohortIsRolledBack() throws Exception {
        String name = publish(BROKEN_VERSION);

        String rolloutId = create(name + "@" + BROKEN_VERSION, "--soak", "PT5S", "--rollback-failure-rate", "0.5",
                "--rollback-min-sample", "3");
        Run watch = cli("rollout", "watch", rolloutId, "--timeout", "PT3M", "--interval", "PT0.5S");

        assertThat(watch.status()).as(watch.out() + watch.err()).isEqualTo(WatchVerdict.ROLLED_BACK);
        assertThat(watch.out()).contains("cohort " + BAD + ":1.0 ROLLED BACK").contains("(exit 2)");
        JsonNode view = cli("--output", "json", "rollout", "show", rolloutId).json();
        assertThat(view.path("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void rolloutWatch_exits4WhenPausedAnd3WhenTheReleaseIsRevoked() throws Exception {
        String name = publish("3.0.0");
        String rolloutId = create(name + "@3.0.0", "--waves", "50,100", "--soak", "PT1H");

        assertThat(cli("rollout", "pause", rolloutId, "--reason", "checking dashboards").out()).contains("PAUSED");
        Run paused = cli("rollout", "watch", rolloutId, "--timeout", "PT1M");
        assertThat(paused.status()).isEqualTo(WatchVerdict.PAUSED);
        assertThat(cli("rollout", "resume", rolloutId).out()).contains("RUNNING");

        Run revoke = cli("release", "revoke", name + "@3.0.0", "--reason", "bricks on cold boot");
        assertThat(revoke.status()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains("REVOKED").contains("bricks on cold boot");
        Run watch = cli("rollout", "watch", rolloutId, "--timeout", "PT2M", "--interval", "PT0.5S");

        assertThat(watch.status()).as(watch.out() + watch.err()).isEqualTo(WatchVerdict.ABORTED);
        Run again = cli("rollout", "create", "--release", name + "@3.0.0", "--target", "fleet=" + fleetName,
                "--wait-for-release", "PT0S");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("revoked");
    }

    /**
     * Device consent (issue 23) through the real rollout-service: the options become the rollout's
     * confirmationRequired and confirmationDeadline (the service keeps the duration as it normalises it: P3D is PT72H),
     * and {@code rollout status} prints what the service holds. Scheduled for tomorrow: no device is asked.
     */
    @Test
    void rolloutCreate_withConfirmationRequiredAndADeadline_isShownAsAskingFirst() throws Exception {
        String name = publish("1.3.0");
        String tomorrow = java.time.Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit
                .SECONDS).toString();

        String rolloutId = create(name + "@1.3.0", "--confirmation-required", "--confirmation-deadline", "P3D",
                "--start-at", tomorrow);
        Run status = cli("rollout", "status", rolloutId);
        JsonNode view = cli("--output", "json", "rollout", "show", rolloutId).json();
        Run alone = cli("rollout", "create", "--release", name + "@1.3.0", "--target", "fleet=" + fleetName,
                "--confirmation-deadline", "PT1H");

        assertThat(view.path("confirmationRequired").asBoolean()).isTrue();
        assertThat(view.path("confirmationDeadline").asText()).isEqualTo("PT72H");
        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.out()).contains("SCHEDULED").contains("confirmation required (deadline PT72H)")
                .contains("failed 0  denied 0  running 0");
        assertThat(alone.status()).isEqualTo(WatchVerdict.USAGE);
        assertThat(alone.err()).contains("needs --confirmation-required");
        assertThat(cli("rollout", "abort", rolloutId, "--reason", "consent test done").out()).contains("ABORTED");
    }

    private static String publish(String version) throws Exception {
        String name = "cli-fw-" + UUID.randomUUID().toString().substring(0, 8);
        Run run = cli("--output", "json", "release", "publish", "--file", image(name + "-" + version + ".swu", 64_000)
                .toString(), "--version", version, "--hw", GOOD + ":1.0", "--hw", BAD + ":1.0");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().path("name").asText()).isEqualTo(name);
        return name;
    }

    private static String create(String release, String... options) {
        Run run = cli(concat(new String[] { "--output", "json", "rollout", "create", "--release", release, "--target",
                "fleet=" + fleetName }, options));
        assertThat(run.status()).as(run.err()).isZero();
        return run.json().path("id").asText();
    }

    private static String[] concat(String[] first, String... then) {
        String[] args = new String[first.length + then.length];
        System.arraycopy(first, 0, args, 0, first.length);
        System.arraycopy(then, 0, args, first.length, then.length);
        return args;
    }

    @Test
    void tenantCommands_createPageChangeQuotasAsThePlatformAdminWhileATenantsTokenIsRefusedAndNamed() {
        String admin = "--token=" + stack.keys().tokens().platformAdmin();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String first = "cli-t1-" + suffix;
        String second = "cli-t2-" + suffix;

        Run created = cli(admin, "--output", "json", "tenants", "create", first, "--name", "CLI One",
                "--max-devices", "100", "--max-artifact-bytes", "5GB");
        Run plain = cli(admin, "tenants", "create", second);
        Run again = cli(admin, "tenants", "create", first.toUpperCase());
        Run changed = cli(admin, "--output", "json", "tenants", "quotas", first, "--max-rollouts-in-flight", "2",
                "--max-commands-per-second", "50", "--unlimited", "devices");
        Run unknown = cli(admin, "tenants", "show", "no-such-" + suffix);
        Run badId = cli(admin, "tenants", "show", "x".repeat(41));
        Run all = cli(admin, "--output", "id", "tenants", "list", "--all", "--limit", "1");
        Run table = cli(admin, "tenants", "list", "--limit", "500");
        Run ofATenant = cli("tenants", "list");

        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.json().path("id").asText()).isEqualTo(first.toUpperCase());
        assertThat(created.json().path("quotas").toString()).isEqualTo("{\"maxDevices\":100,\"maxArtifactBytes\":"
                + "5000000000,\"maxRolloutsInFlight\":null,\"maxCommandsPerSecond\":null}");
        assertThat(plain.out()).contains("tenant   " + second.toUpperCase());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("409");
        assertThat(changed.status()).as(changed.err()).isZero();
        assertThat(changed.json().path("version").asInt()).isEqualTo(2);
        assertThat(changed.json().path("quotas").toString()).isEqualTo("{\"maxDevices\":null,\"maxArtifactBytes\":"
                + "5000000000,\"maxRolloutsInFlight\":2,\"maxCommandsPerSecond\":50}");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("404");
        assertThat(badId.status()).isEqualTo(1);
        assertThat(badId.err()).contains("400", "not a tenant id");
        assertThat(all.status()).as(all.err()).isZero();
        List<String> ids = all.out().lines().toList();
        assertThat(ids).contains("DEFAULT", first.toUpperCase(), second.toUpperCase()).doesNotHaveDuplicates();
        assertThat(ids.indexOf(first.toUpperCase())).isLessThan(ids.indexOf(second.toUpperCase()));
        assertThat(table.out()).containsPattern(first.toUpperCase() + " +CLI One +unlimited +5000000000 \\(5\\.0 GB\\)"
                + " +2 +50 +2");
        // the stack's usual token (every tenant role, no tenant claim): refused, and the CLI says whose it was
        assertThat(ofATenant.status()).isEqualTo(1);
        assertThat(ofATenant.err()).contains("403", "tenant DEFAULT", "roles publisher, operator, viewer",
                "./updraft token --platform-admin");
        assertThat(cli(admin, "whoami").out()).contains("tenant   none (platform-admin");
    }

    private static Run cli(String... args) {
        return run(env, args);
    }

    private static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = UpdraftCli.execute(work, environment, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    private static Path image(String filename, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(filename.hashCode()).nextBytes(bytes);
        Files.createDirectories(work.resolve("builds"));
        return Files.write(work.resolve("builds").resolve(filename), bytes);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void awaitInventory() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    Run run = cli("--output", "json", "devices", "list", "--size", "1000");
                    return run.status() == 0 && run.json().path("items").findValuesAsText("deviceId").stream()
                            .filter(d -> d.startsWith(fleetName)).count() == 2L * PER_MODEL;
                });
    }
}
