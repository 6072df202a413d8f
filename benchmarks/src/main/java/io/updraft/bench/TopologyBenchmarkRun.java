package io.updraft.bench;

import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.bench.Figure.Target;
import io.updraft.devstack.DevStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs telemetry-service's {@code TopologyBenchmark} as its README says — a child Maven process — and reads its
 * figures back from the output ({@link TopologyBenchmarkOutput}): HealthReported/s through the exactly-once topology
 * against a plain KafkaConsumer, and the detection latency.
 */
final class TopologyBenchmarkRun {
    private final Path root;
    private final Path log;
    private final List<String> sizes;
    private final Consumer<String> say;

    TopologyBenchmarkRun(Path root, Path log, List<String> sizes, Consumer<String> say) {
        this.root = root;
        this.log = log;
        this.sizes = List.copyOf(sizes);
        this.say = say;
    }

    void run(Figures figures) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-o", "-pl",
                "telemetry-service", "test", "-Dtest=TopologyBenchmark", "-Dsurefire.failIfNoSpecifiedTests=false"));
        sizes.forEach(size -> command.add("-D" + size));
        // the same broker JVM profile as the suite's other benchmarks
        command.add("-D" + DevStack.PROFILE_PROPERTY + "=" + System.getProperty(DevStack.PROFILE_PROPERTY, ""));
        say.accept("running " + String.join(" ", command.subList(1, command.size())) + " (output: " + log + ")");
        Files.createDirectories(log.getParent());
        Process maven = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = maven.waitFor(15, TimeUnit.MINUTES);
        if (!exited) {
            maven.descendants().forEach(ProcessHandle::destroy);
            maven.destroy();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse(output);
        Double plain = parsed.plainConsumerPerSecond().orElse(null);
        if (plain != null) {
            figures.add(Figure.of("plain KafkaConsumer (read + parse HealthReported)", plain, "events/s"));
        }
        parsed.topologyPerSecond().ifPresent(topology -> {
            Figure figure = Figure.of("health topology, exactly-once", topology, "events/s")
                    .target(Target.ratioAtLeast(50));
            figures.add(plain == null ? figure : figure.against(plain, "plain KafkaConsumer, same topic"));
        });
        parsed.exactlyOnceFloorPerSecond().ifPresent(floor -> {
            Figure figure = Figure.of("Kafka Streams exactly-once, parse only (no state, no output)", floor, "events/s");
            figures.add((plain == null ? figure : figure.against(plain, "plain KafkaConsumer, same topic"))
                    .note("what Kafka Streams with the service's settings allows on this machine at all"));
            parsed.topologyPerSecond().ifPresent(topology -> figures.add(Figure.of(
                    "health topology as a share of the parse-only exactly-once app", topology, "events/s")
                    .against(floor, "Kafka Streams exactly-once, parse only")));
        });
        parsed.shapeFloorPerSecond().ifPresent(shape -> {
            Figure figure = Figure.of("the service's topology, exactly-once, device processor only parsing", shape,
                    "events/s");
            figures.add((plain == null ? figure : figure.against(plain, "plain KafkaConsumer, same topic"))
                    .note("its sources, stores, repartition and referee before any work: what the topology's shape "
                            + "allows"));
        });
        parsed.topologyCpuMicrosPerEvent().ifPresent(topologyCpu -> {
            Figure figure = Figure.of("health topology CPU per event (stream threads)", topologyCpu, "µs");
            figures.add(parsed.plainCpuMicrosPerEvent().map(plainCpu -> figure.against(plainCpu,
                    "plain KafkaConsumer's thread")).orElse(figure).note("CPU time: bent less by a shared machine "
                            + "than a rate; ratio > 100 % = more CPU than the plain consumer"));
        });
        parsed.detection().ifPresent(latency -> {
            String trials = String.format(Locale.ROOT, "%d of %d trials; max %.0f ms", latency.trials(),
                    latency.planned(), latency.max());
            figures.add(Figure.of("detection latency p50 (threshold-crossing report → RollbackTriggered)",
                    latency.p50(), "ms").target(Target.atMost(1000)).note(trials));
            figures.add(Figure.of("detection latency p99", latency.p99(), "ms").target(Target.atMost(3000))
                    .note(trials));
        });
        if (!exited) {
            throw new IllegalStateException("TopologyBenchmark did not finish within 15 min; see " + log);
        }
        if (maven.exitValue() != 0) {
            throw new IllegalStateException("TopologyBenchmark (Maven) exited " + maven.exitValue() + ": "
                    + lastErrorLine(output) + "; see " + log);
        }
        if (parsed.topologyPerSecond().isEmpty() || plain == null) {
            throw new IllegalStateException("TopologyBenchmark printed no throughput figures; see " + log);
        }
        if (parsed.detection().isEmpty()) {
            throw new IllegalStateException(parsed.noTrigger() ? "TopologyBenchmark: no RollbackTriggered received"
                    : "TopologyBenchmark printed no detection latency; see " + log);
        }
    }

    private static String lastErrorLine(String output) {
        java.util.regex.Matcher crash = java.util.regex.Pattern.compile("Process Exit Code: (\\d+)").matcher(output);
        if (crash.find()) {
            int code = Integer.parseInt(crash.group(1));
            return "the forked test JVM exited with " + code + (code == 143 ? " (SIGTERM: stopped from outside)"
                    : code == 137 ? " (SIGKILL: killed from outside or out of memory)" : "");
        }
        String[] lines = output.split("\n");
        for (String line : lines) { // Maven's first error says what went wrong; the last ones are advice
            if (line.contains("[ERROR]") && !line.replace("[ERROR]", "").isBlank()) {
                return line.replace("[ERROR]", "").trim();
            }
        }
        return lines.length == 0 ? "(no output)" : lines[lines.length - 1];
    }
}
