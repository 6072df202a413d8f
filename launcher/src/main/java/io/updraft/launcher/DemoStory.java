package io.updraft.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.cli.UpdraftCli;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The story {@code ./updraft demo} tells, and the end-to-end test checks: a fleet of two hardware models takes
 * release 1.1.0 in two waves; release 1.2.0 breaks one model, telemetry triggers a rollback of exactly that cohort,
 * and it returns to 1.1.0 while the other model keeps 1.2.0. Everything goes through the services' HTTP APIs.
 */
public final class DemoStory {
    public static final String GOOD_MODEL = "gw-100";
    public static final String BAD_MODEL = "gw-200";
    public static final String REVISION = "1.0";

    /** What happened, for the closing table and for tests. */
    public record Outcome(List<String> failures, String firstRolloutId, String secondRolloutId,
            Map<String, Map<String, Long>> inventory, Map<String, Map<String, Long>> devices,
            List<String> triggeredCohorts, Fleet fleet) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private final RunningStack stack;
    private final UpdraftApi api;
    private final Timeline timeline;
    private final String idPrefix;
    private final String releaseName;
    private final int devicesPerModel;

    public DemoStory(LocalStack stack, PrintStream out, String idPrefix, String releaseName, int devicesPerModel) {
        this(RunningStack.of(stack), out, idPrefix, releaseName, devicesPerModel);
    }

    /** The same story on any running stack: the containerized one too (deploy-tests' ServiceContainersIT). */
    public DemoStory(RunningStack stack, PrintStream out, String idPrefix, String releaseName, int devicesPerModel) {
        this.stack = stack;
        this.api = UpdraftApi.of(stack);
        this.timeline = new Timeline(out);
        this.idPrefix = idPrefix;
        this.releaseName = releaseName;
        this.devicesPerModel = devicesPerModel;
    }

    /** Runs the story; the fleet stays up (the caller closes it) so tests can look at it afterwards. */
    public Outcome run() throws InterruptedException {
        List<String> failures = new ArrayList<>();
        FleetScenario scenario = new FleetScenario(stack.url("device-gateway"), "DEFAULT",
                stack.gatewayToken(), idPrefix,
                List.of(new FleetScenario.HardwareMix(GOOD_MODEL, REVISION, devicesPerModel),
                        new FleetScenario.HardwareMix(BAD_MODEL, REVISION, devicesPerModel)),
                List.of(new FleetScenario.FailureRule(BAD_MODEL, "1.2.0", 0.6)),
                Duration.ofMillis(300), Duration.ofSeconds(1), "1.0.0");
        Fleet fleet = new Fleet(scenario).start();
        timeline.say("fleet: %d simulated devices (%d × %s, %d × %s) polling the gateway over DDI",
                scenario.deviceCount(), devicesPerModel, GOOD_MODEL, devicesPerModel, BAD_MODEL);

        awaitInventory(failures);

        JsonNode first = publish("1.1.0");
        String firstRollout = startRollout(first, "1.1.0 to the fleet");
        JsonNode firstEnd = new RolloutWatcher(api, timeline, firstRollout, "1.1.0").awaitEnd(Duration.ofSeconds(150));
        check(failures, "COMPLETED".equals(firstEnd.path("state").asText()), "rollout of 1.1.0 completed");
        for (JsonNode wave : firstEnd.path("waves")) {
            check(failures, "DONE".equals(wave.path("state").asText()) && wave.path("failed").asInt() == 0,
                    "1.1.0 wave " + wave.path("wave").asInt() + " done without failures");
        }

        JsonNode second = publish("1.2.0");
        String secondRollout = startRollout(second, "1.2.0 to the fleet");
        JsonNode secondEnd = new RolloutWatcher(api, timeline, secondRollout, "1.2.0").awaitEnd(Duration.ofSeconds(150));
        check(failures, "COMPLETED".equals(secondEnd.path("state").asText()),
                "rollout of 1.2.0 completed for the healthy cohort");

        List<String> triggered = new ArrayList<>();
        api.rollbacks(secondRollout).forEach(decision -> triggered.add(decision.path("cohort").asText()));
        String badCohort = BAD_MODEL + ":" + REVISION;
        check(failures, triggered.equals(List.of(badCohort)), "RollbackTriggered for exactly " + badCohort
                + " (saw " + triggered + ")");

        Map<String, Map<String, Long>> devices = awaitFleetSettled(fleet);
        Map<String, Map<String, Long>> inventory = inventoryByModel();
        long total = devicesPerModel;
        check(failures, Map.of("1.2.0", total).equals(devices.get(GOOD_MODEL)),
                GOOD_MODEL + " devices all run 1.2.0 (devices say " + devices.get(GOOD_MODEL) + ")");
        check(failures, Map.of("1.1.0", total).equals(devices.get(BAD_MODEL)),
                BAD_MODEL + " devices all back on 1.1.0 (devices say " + devices.get(BAD_MODEL) + ")");
        check(failures, devices.equals(inventory), "the inventory agrees with the devices (inventory " + inventory + ")");
        check(failures, fleet.repeatedInstalls().isEmpty(), "no device installed the same action twice "
                + fleet.repeatedInstalls());
        List<String> problems = fleet.logs().stream().flatMap(log -> log.problems().stream()).toList();
        check(failures, problems.isEmpty(), "devices saw no protocol errors " + problems.stream().limit(3).toList());

        printTable(devices, inventory);
        return new Outcome(failures, firstRollout, secondRollout, inventory, devices, triggered, fleet);
    }

    private void awaitInventory(List<String> failures) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long good = 0;
        long bad = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Map<String, Long>> known = inventoryByModel();
            good = known.getOrDefault(GOOD_MODEL, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            bad = known.getOrDefault(BAD_MODEL, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            if (good >= devicesPerModel && bad >= devicesPerModel) {
                timeline.say("inventory: rollout-service knows %d %s and %d %s devices (from device-reports)",
                        good, GOOD_MODEL, bad, BAD_MODEL);
                return;
            }
            Thread.sleep(300);
        }
        failures.add("inventory did not fill: " + good + " " + GOOD_MODEL + ", " + bad + " " + BAD_MODEL);
    }

    /** Publishes through the {@code updraft} CLI, in-process, exactly as a CI job runs it. */
    private JsonNode publish(String version) {
        byte[] image = new byte[256 * 1024];
        new Random(version.hashCode()).nextBytes(image);
        Path file;
        try {
            Path dir = Files.createDirectories(stack.home().resolve("ci-build"));
            file = Files.write(dir.resolve(releaseName + "-" + version + ".swu"), image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] command = { "--output", "json", "release", "publish", "--file", file.toString(),
                "--name", releaseName, "--version", version,
                "--hw", GOOD_MODEL + ":" + REVISION, "--hw", BAD_MODEL + ":" + REVISION,
                "--notes", "demo build of " + version, "--label", "pipeline=demo" };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = UpdraftCli.execute(stack.home(), cliEnvironment(), new PrintWriter(out), new PrintWriter(err),
                command);
        if (status != 0) {
            throw new UpdraftApi.ApiException("updraft release publish exited " + status + ": " + err, status);
        }
        JsonNode release = UpdraftApi.parse(out.toString());
        JsonNode artifact = release.path("artifacts").path(0);
        timeline.say("CI: updraft release publish --file %s --version %s --hw %s:%s --hw %s:%s", file.getFileName(),
                version, GOOD_MODEL, REVISION, BAD_MODEL, REVISION);
        timeline.say("release-service: published %s %s (%s, %d bytes, sha256 %s…) → ReleasePublished", releaseName,
                version, artifact.path("filename").asText(), artifact.path("size").asLong(),
                artifact.path("sha256").asText().substring(0, 12));
        return release;
    }

    /** What a CI job exports for the CLI: the service URLs and a publisher token. */
    private Map<String, String> cliEnvironment() {
        return Map.of("UPDRAFT_RELEASE_URL", stack.url("release-service"),
                "UPDRAFT_ROLLOUT_URL", stack.url("rollout-service"),
                "UPDRAFT_TELEMETRY_URL", stack.url("telemetry-service"),
                "UPDRAFT_TOKEN", stack.adminToken());
    }

    private String startRollout(JsonNode release, String name) throws InterruptedException {
        ObjectNode body = UpdraftApi.object().put("name", name).put("releaseId", release.path("id").asText())
                .put("soakTime", "PT3S").put("errorThreshold", 0.5).put("actionType", "FORCED");
        body.putObject("target").put("fleet", idPrefix);
        body.putArray("waves").add(20).add(100);
        body.putObject("rollbackPolicy").put("failureRateThreshold", 0.5).put("minSampleSize", 3);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var response = api.tryCreateRollout(body);
            if (response.statusCode() == 201) {
                JsonNode rollout = UpdraftApi.parse(response.body());
                timeline.say("rollout-service: rollout \"%s\" created: waves 20%% then 100%%, soak 3 s, rollback "
                        + "when a cohort's failure rate ≥ 50%% over ≥ 3 installs", name);
                return rollout.path("id").asText();
            }
            // the release reaches rollout-service through Kafka: give it a moment before giving up
            if (response.statusCode() != 422 || System.nanoTime() > deadline) {
                throw new UpdraftApi.ApiException("POST /api/v1/rollouts answered " + response.statusCode() + ": "
                        + response.body(), response.statusCode());
            }
            Thread.sleep(300);
        }
    }

    /** Waits until the simulated devices stop changing version (the rollback installs have landed). */
    private Map<String, Map<String, Long>> awaitFleetSettled(Fleet fleet) throws InterruptedException {
        Map<String, Map<String, Long>> expected = Map.of(GOOD_MODEL, Map.of("1.2.0", (long) devicesPerModel),
                BAD_MODEL, Map.of("1.1.0", (long) devicesPerModel));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Map<String, Long>> now = fleet.versionsByModel();
        while (System.nanoTime() < deadline && !(now.equals(expected) && inventoryByModel().equals(expected))) {
            Thread.sleep(300);
            now = fleet.versionsByModel();
        }
        return now;
    }

    /** model → installed version → devices, as rollout-service's inventory sees it. */
    private Map<String, Map<String, Long>> inventoryByModel() {
        Map<String, Map<String, Long>> table = new TreeMap<>();
        int page = 0;
        while (true) {
            JsonNode result = api.devices("page=" + page + "&size=500");
            for (JsonNode device : result.path("items")) {
                if (!device.path("deviceId").asText().startsWith(idPrefix + "-")) {
                    continue;
                }
                String model = device.path("attributes").path("model").asText("?");
                String version = device.path("installedVersion").asText("1.0.0");
                if (version.isEmpty() || "null".equals(version)) {
                    version = "1.0.0";
                }
                table.computeIfAbsent(model, m -> new TreeMap<>()).merge(version, 1L, Long::sum);
            }
            if (result.path("items").size() < 500) {
                return table;
            }
            page++;
        }
    }

    private void printTable(Map<String, Map<String, Long>> devices, Map<String, Map<String, Long>> inventory) {
        TreeSet<String> versions = new TreeSet<>();
        devices.values().forEach(v -> versions.addAll(v.keySet()));
        inventory.values().forEach(v -> versions.addAll(v.keySet()));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-10s", "model"));
        versions.forEach(v -> header.append(String.format(Locale.ROOT, " | %-16s", v + " (dev/inv)")));
        timeline.plain("");
        timeline.plain("Devices per version and model (what the devices run / what rollout-service's inventory says):");
        timeline.plain(header.toString());
        timeline.plain("-".repeat(header.length()));
        for (String model : new TreeSet<>(devices.keySet())) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", model));
            for (String version : versions) {
                long onDevices = devices.getOrDefault(model, Map.of()).getOrDefault(version, 0L);
                long inInventory = inventory.getOrDefault(model, Map.of()).getOrDefault(version, 0L);
                row.append(String.format(Locale.ROOT, " | %-16s", onDevices + " / " + inInventory));
            }
            timeline.plain(row.toString());
        }
        timeline.plain("");
    }

    private void check(List<String> failures, boolean ok, String what) {
        timeline.say("%s %s", ok ? "✔" : "✘", what);
        if (!ok) {
            failures.add(what);
        }
    }
}
