package io.updraft.bench;

import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.bench.Figure.Target;
import io.updraft.devstack.DevStack;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs {@link io.updraft.bench.telemetry.TopologyBenchmark} in a JVM of its own on telemetry-service's packaged class
 * path ({@link ServiceClassPathRun}) against a fresh broker of this run, and reads its figures back from the output
 * ({@link TopologyBenchmarkOutput}): HealthReported/s through the exactly-once topology against a plain KafkaConsumer,
 * and the detection latency.
 */
final class TopologyBenchmarkRun {
    private final Path root;
    private final Path work;
    private final Map<String, String> sizes;
    private final Consumer<String> say;

    /** @param sizes {@code bench.events} and the like: the benchmark's own settings */
    TopologyBenchmarkRun(Path root, Path work, Map<String, String> sizes, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.sizes = Map.copyOf(sizes);
        this.say = say;
    }

    void run(Figures figures) throws IOException {
        Path log = work.resolve("topology.log");
        AppSnapshot.deleteRecursively(work.resolve("stack"));
        Path apps = AppSnapshot.of(root, work.resolve("apps"), List.of("telemetry-service"));
        ServiceClassPathRun.Output output;
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            Map<String, String> properties = new TreeMap<>(sizes);
            properties.put("bench.kafka", stack.kafkaBootstrap());
            properties.put("bench.broker-pid", Long.toString(stack.pid()));
            output = ServiceClassPathRun.run("TopologyBenchmark", apps.resolve("telemetry-service/target/quarkus-app"),
                    "io.updraft.bench.telemetry.TopologyBenchmark", properties, log, Duration.ofMinutes(15),
                    say);
        }
        TopologyBenchmarkOutput parsed = TopologyBenchmarkOutput.parse(output.text());
        Double plain = parsed.plainConsumerPerSecond().orElse(null);
        if (plain != null) {
            figures.add(Figure.of("plain KafkaConsumer (read + parse HealthReported)", plain, "events/s"));
        }
        parsed.topologyPerSecond().ifPresent(topology -> {
            Figure figure = Figure.of("health topology, exactly-once", topology, "events/s")
                    .target(Target.ratioAtLeast(60))
                    .note("a setting (exactly_once_v2); not the default since ADR 0028");
            figures.add(plain == null ? figure : figure.against(plain, "plain KafkaConsumer, same topic"));
        });
        parsed.atLeastOncePerSecond().ifPresent(topology -> {
            Figure figure = Figure.of("health topology, at-least-once (exactly-once effect)", topology, "events/s")
                    .target(Target.ratioAtLeast(60)).note("the service's default (ADR 0028); same topology and run; "
                            + "replays counted once by the signals' positions, decisions deduplicated by their ids "
                            + "(telemetry-service README)");
            figures.add(plain == null ? figure : figure.against(plain, "plain KafkaConsumer, same topic"));
        });
        parsed.atLeastOnceFloorPerSecond().ifPresent(floor -> {
            Figure figure = Figure.of("Kafka Streams at-least-once, parse only (no state, no output)", floor,
                    "events/s");
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
            figures.add(Figure.of("detection latency p99", latency.p99(), "ms").target(Target.atMost(1000))
                    .note(trials));
        });
        output.requireFinished();
        if (parsed.topologyPerSecond().isEmpty() || plain == null) {
            throw new IllegalStateException("TopologyBenchmark printed no throughput figures; see " + log);
        }
        if (parsed.detection().isEmpty()) {
            throw new IllegalStateException(parsed.noTrigger() ? "TopologyBenchmark: no RollbackTriggered received"
                    : "TopologyBenchmark printed no detection latency; see " + log);
        }
    }
}
