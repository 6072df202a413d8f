package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.bench.Figure.Target;
import io.updraft.fleet.FleetScenario;
import io.updraft.fleet.FleetScenario.HardwareMix;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How long one {@code updraft} CLI call takes, start to exit, against the four packaged services (LocalStack) with a
 * provisioned fleet and one running rollout: {@code rollout status} and {@code release list}, each {@code calls}
 * times through {@code ./updraft} (the CLI's own jar, its class-data-sharing archive, C1 only), beside the same calls
 * through the CLI jar without the archive and through the launcher's class path (how {@code ./updraft} ran the CLI
 * until 6 Dec 2026), and the floor of this machine: a JVM that starts and exits ({@code java -version} with the same
 * flags). Rounds alternate the ways, so load from elsewhere spreads over all of them. Every call must exit 0 and
 * print what the API holds, or the benchmark fails. The {@code ./updraft} calls run with {@code UPDRAFT_CLI_TIMING=1}
 * and the figure's note carries their mean per phase (CliTiming: start, model, parse, client, request, json, print,
 * and exit, the rest of the wall time).
 */
final class CliBenchmark {
    /** The fleet and device id prefix: the stack is shared with the end-to-end fleet ("bench") and delta's. */
    private static final String FLEET = "cli";
    private final Path root;
    private final int calls;
    private final Consumer<String> say;

    CliBenchmark(Path root, int calls, Consumer<String> say) {
        this.root = root;
        this.calls = calls;
        this.say = say;
    }

    void run(Figures figures, SharedLocalStack shared) throws Exception {
        Path cliJar = root.resolve("launcher/target/updraft-cli.jar");
        Path archive = root.resolve("launcher/target/updraft-cli.jsa");
        if (!Files.isRegularFile(cliJar) || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("launcher/target/updraft-cli.jar or its .jsa is missing: ./updraft build");
        }
        LocalStack stack = shared.get();
        UpdraftApi api = UpdraftApi.of(stack);
        FleetProvisioner.provision(stack.infrastructure(), scenario(stack));
        String releaseId = publish(api);
        String rolloutId = createRollout(api, releaseId);
        say.accept("100 devices, rollout " + rolloutId + " running; " + calls + " calls per way");
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put("UPDRAFT_TOKEN", stack.adminToken());
        env.put("UPDRAFT_RELEASE_URL", stack.service("release-service").url());
        env.put("UPDRAFT_ROLLOUT_URL", stack.service("rollout-service").url());
        env.put("UPDRAFT_TELEMETRY_URL", stack.service("telemetry-service").url());
        env.put("TERM", "dumb");
        // ./updraft's calls print where their time went (CliTiming): one line on stderr, read back below
        Map<String, String> timedEnv = new LinkedHashMap<>(env);
        timedEnv.put("UPDRAFT_CLI_TIMING", "1");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> launcher = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-Dupdraft.root=" + root, "-cp",
                root.resolve("launcher/target/classes") + ":" + Files.readString(
                        root.resolve("launcher/target/launcher.classpath")).strip(),
                "io.updraft.launcher.Updraft");
        List<String> plainJar = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-Dupdraft.root=" + root, "-cp", cliJar.toString(), "io.updraft.launcher.cli.UpdraftCli");
        List<String> script = List.of(root.resolve("updraft").toString());
        List<String> floor = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-version");

        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("rollout status", List.of("rollout", "status", rolloutId));
        commands.put("release list", List.of("release", "list"));
        Map<String, List<String>> ways = new LinkedHashMap<>();
        ways.put("./updraft", script);
        ways.put("CLI jar without the archive", plainJar);
        ways.put("launcher class path (before)", launcher);

        Map<String, long[]> times = new LinkedHashMap<>();
        long[] floorTimes = new long[calls];
        // one warm-up call of each way: the page cache holds the jars, as for a user's second call
        for (List<String> way : ways.values()) {
            for (Map.Entry<String, List<String>> command : commands.entrySet()) {
                call(way, command.getValue(), env, command.getKey(), rolloutId);
            }
        }
        call(floor, List.of(), env, null, null);
        Map<String, Map<String, Double>> phases = new LinkedHashMap<>();
        for (int i = 0; i < calls; i++) {
            for (Map.Entry<String, List<String>> way : ways.entrySet()) {
                boolean timed = way.getValue() == script;
                for (Map.Entry<String, List<String>> command : commands.entrySet()) {
                    StringBuilder printed = new StringBuilder();
                    long millis = call(way.getValue(), command.getValue(), timed ? timedEnv : env,
                            command.getKey(), rolloutId, printed);
                    times.computeIfAbsent(command.getKey() + " via " + way.getKey(), k -> new long[calls])[i] =
                            millis;
                    if (timed) {
                        Map<String, Double> sums = phases.computeIfAbsent(command.getKey(),
                                k -> new LinkedHashMap<>());
                        Map<String, Double> call = phases(printed.toString(), millis);
                        call.forEach((phase, ms) -> sums.merge(phase, ms, Double::sum));
                    }
                }
            }
            floorTimes[i] = call(floor, List.of(), env, null, null);
        }
        double floorMean = mean(floorTimes);
        for (String command : commands.keySet()) {
            long[] now = times.get(command + " via ./updraft");
            long[] before = times.get(command + " via launcher class path (before)");
            long[] jar = times.get(command + " via CLI jar without the archive");
            StringBuilder breakdown = new StringBuilder();
            phases.getOrDefault(command, Map.of()).forEach((phase, sum) -> breakdown.append(breakdown.isEmpty()
                    ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f", phase, sum / calls)));
            say.accept("CLI " + command + " via ./updraft, mean ms per phase: " + breakdown);
            figures.add(Figure.of("CLI " + command + " (./updraft, mean of " + calls + ")", mean(now), "ms")
                    .against(mean(before), "the same call through the launcher class path")
                    .target(Target.atMost(300))
                    .note(String.format(Locale.ROOT, "p50 %.0f ms, max %.0f ms; phases (mean ms, UPDRAFT_CLI_TIMING): "
                            + "%s; the CLI jar without the CDS archive: mean %.0f ms; a JVM that only starts and "
                            + "exits: %.0f ms", percentile(now, 50), percentile(now, 100), breakdown, mean(jar),
                            floorMean)));
        }
        figures.add(Figure.of("JVM start and exit (java -version, C1, serial GC)", floorMean, "ms")
                .note("the floor of a JVM-based CLI call on this machine"));
    }

    private long call(List<String> way, List<String> args, Map<String, String> env, String command, String rolloutId)
            throws IOException, InterruptedException {
        return call(way, args, env, command, rolloutId, new StringBuilder());
    }

    /**
     * The phases of one call from its {@code updraft-cli-timing:} line (ms each: start, model, parse, client, request,
     * json, print), and {@code exit}: the wall time left after them (JVM shutdown, process exit). Fails without the
     * line: the timing is part of what this benchmark reports.
     */
    static Map<String, Double> phases(String printed, long wallMillis) {
        Map<String, Double> phases = new LinkedHashMap<>();
        for (String line : printed.split("\\R")) {
            if (line.startsWith("updraft-cli-timing:")) {
                for (String field : line.substring("updraft-cli-timing:".length()).trim().split("\\s+")) {
                    int equals = field.indexOf('=');
                    phases.put(field.substring(0, equals), Double.parseDouble(field.substring(equals + 1)));
                }
            }
        }
        Double total = phases.remove("total");
        if (total == null) {
            throw new IllegalStateException("no updraft-cli-timing line in: " + printed);
        }
        phases.put("exit", Math.max(0, wallMillis - total));
        return phases;
    }

    /** Runs one call; returns its wall time in ms. Fails unless it exits 0 and printed what it should. */
    private long call(List<String> way, List<String> args, Map<String, String> env, String command, String rolloutId,
            StringBuilder output) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(way);
        line.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(line).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " did not exit within 60 s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String printed = new String(bytes, StandardCharsets.UTF_8);
        output.append(printed);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " exited " + process.exitValue() + ": " + printed);
        }
        boolean right = command == null
                || ("rollout status".equals(command) && printed.contains("cli-bench") && printed.contains("RUNNING"))
                || ("release list".equals(command) && printed.contains("cli-bench-firmware"));
        if (!right) {
            throw new IllegalStateException(String.join(" ", line) + " printed: " + printed);
        }
        return millis;
    }

    private static FleetScenario scenario(LocalStack stack) {
        return new FleetScenario(stack.service("device-gateway").url(), "DEFAULT", stack.gatewayToken(), FLEET,
                List.of(new HardwareMix("gw-100", "1.0", 100)), List.of(), Duration.ofMillis(300),
                Duration.ofSeconds(60), "1.0.0", Duration.ofMillis(1500), List.of(), 0.02, 7L);
    }

    private static String publish(UpdraftApi api) {
        byte[] image = new byte[4 * 1024];
        new Random(3).nextBytes(image);
        return api.publishRelease("cli-bench-firmware", "1.2.0", List.of(new UpdraftApi.Hardware("gw-100", "1.0")),
                List.of(new UpdraftApi.Artifact("cli-bench-1.2.0.swu", image))).path("id").asText();
    }

    private static String createRollout(UpdraftApi api, String releaseId) throws InterruptedException {
        ObjectNode body = UpdraftApi.object().put("name", "cli-bench").put("releaseId", releaseId);
        body.putObject("target").put("fleet", FLEET);
        body.putArray("waves").add(10).add(100);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var response = api.tryCreateRollout(body);
            if (response.statusCode() == 201) {
                JsonNode rollout = UpdraftApi.parse(response.body());
                return rollout.path("id").asText();
            }
            // the release reaches rollout-service through Kafka: 422 until it is in its catalog
            if (response.statusCode() != 422 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST /api/v1/rollouts answered " + response.statusCode() + ": "
                        + response.body());
            }
            Thread.sleep(200);
        }
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
