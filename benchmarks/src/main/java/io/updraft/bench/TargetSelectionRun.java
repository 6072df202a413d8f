package io.updraft.bench;

import io.updraft.bench.BenchmarkResult.Figures;
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
 * Runs {@link io.updraft.bench.rollout.TargetSelectionBenchmark} in a JVM of its own on rollout-service's packaged
 * class path ({@link ServiceClassPathRun}) against a fresh PostgreSQL of this run, and reads its figures back
 * ({@link TargetSelectionOutput}): the generated version key's cost per written device against the same insert without
 * it, and the time PostgreSQL takes to count the target set of five filters compiled by {@code FilterSql}.
 */
final class TargetSelectionRun {
    private final Path root;
    private final Path work;
    private final int devices;
    private final Consumer<String> say;

    TargetSelectionRun(Path root, Path work, int devices, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.devices = devices;
        this.say = say;
    }

    void run(Figures figures) throws IOException {
        Path log = work.resolve("selection.log");
        AppSnapshot.deleteRecursively(work.resolve("stack"));
        Path apps = AppSnapshot.of(root, work.resolve("apps"), List.of("rollout-service"));
        ServiceClassPathRun.Output output;
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            Map<String, String> properties = new TreeMap<>();
            properties.put("bench.devices", Integer.toString(devices));
            properties.put("bench.postgres-port", Integer.toString(stack.postgresPort()));
            output = ServiceClassPathRun.run("TargetSelectionBenchmark", apps.resolve(
                    "rollout-service/target/quarkus-app"), "io.updraft.bench.rollout.TargetSelectionBenchmark",
                    properties, log, Duration.ofMinutes(30), say);
        }
        TargetSelectionOutput parsed = TargetSelectionOutput.parse(output.text());
        parsed.versionKeyMicros().ifPresent(micros -> figures.add(Figure.of(
                "updraft_version_key per version (PostgreSQL function alone)", micros, "µs")));
        parsed.insert().ifPresent(insert -> {
            String name = String.format(Locale.ROOT, "insert %,d devices into device (generated version_key)",
                    insert.devices());
            figures.add(Figure.of(name, insert.withMillis(), "ms").against(insert.withoutMillis(),
                    "the same insert into a copy of the table without version_key").note(String.format(Locale.ROOT,
                            "+%.2f µs per device", (insert.withMillis() - insert.withoutMillis()) * 1000.0
                                    / insert.devices())));
            say.accept(String.format(Locale.ROOT, "insert of %,d devices: %,.0f ms with version_key, %,.0f ms without",
                    insert.devices(), insert.withMillis(), insert.withoutMillis()));
        });
        for (TargetSelectionOutput.Selection selection : parsed.selections()) {
            figures.add(Figure.of("select count of the target set: " + selection.filter(), selection.millis(), "ms")
                    .note(String.format(Locale.ROOT, "%,d of %,d devices; the second (warm) run%s",
                            selection.selected(), selection.devices(), selection.firstMillis() == null ? ""
                                    : String.format(Locale.ROOT, ", the first took %,.0f ms",
                                            selection.firstMillis()))));
        }
        output.requireFinished();
        if (parsed.insert().isEmpty() || parsed.selections().size() != 5) {
            throw new IllegalStateException("TargetSelectionBenchmark printed " + parsed.selections().size()
                    + " of 5 selections" + (parsed.insert().isEmpty() ? " and no insert figures" : "") + "; see "
                    + log);
        }
    }
}
