package io.updraft.bench;

import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventMeta;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How many InstallRequested per second the packaged device-gateway applies, on a fresh broker and database: N known
 * devices (registered, provisioned with COPY, as {@code FleetLoader} does for the poll benchmark) get one
 * InstallRequested each on {@code device-commands}, timed from the first send until every action is stored PENDING
 * in the gateway's database — once for devices with nothing pending, then a second wave to the same devices that
 * supersedes each one's pending action (withdrawn, with an ActionCanceled each). The baseline, in the same run on the
 * same broker: a plain KafkaConsumer reading the same N records from a fresh topic with as many partitions. A warm-up
 * wave of up to 2,000 other devices runs first, not measured. Prints the gateway's CPU time per command and the load
 * average with every figure.
 *
 * <p>Until 2026-12-05 this was device-gateway's {@code src/test/java/io/updraft/gateway/CommandIntakeBenchmark.java},
 * a {@code @QuarkusTest} that also fed the same records to the gateway's consumer methods in-process (per command vs
 * set-based: the before/after of ADR 0008); its "through the channel" figure is what this measures.
 */
final class CommandIntakeBenchmark {
    private static final String STORED = "select count(*) from device_action where status = 'PENDING' and "
            + "action_id >= ?::bigint";
    private static final ArtifactRef ARTIFACT = new ArtifactRef(42, "os", "fw-1.1.0.swu", 48_000_000, "9f".repeat(32),
            "3c".repeat(20), "a7".repeat(16));

    private final Path root;
    private final Path work;
    private final int commands;
    private final Consumer<String> say;

    CommandIntakeBenchmark(Path root, Path work, int commands, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.commands = commands;
        this.say = say;
    }

    void run(Figures figures) throws Exception {
        AppSnapshot.deleteRecursively(work.resolve("stack"));
        Path apps = AppSnapshot.of(root, work.resolve("apps"), List.of("device-gateway"));
        int warmUp = Math.min(commands, 2_000);
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            String bootstrap = stack.kafkaBootstrap();
            Map<String, String> config = RolloutFanoutBenchmark.serviceConfig(stack, "gateway",
                    DevKeys.in(work.resolve("keys")));
            config.put("updraft.gateway.gateway-token", "bench-gateway-token");
            config.put("updraft.artifacts.url-signing-key", "bench-signing-key-0123456789");
            Path jar = apps.resolve("device-gateway/target/quarkus-app/quarkus-run.jar");
            // the heap and collector of the test JVM this benchmark ran in until it moved here
            try (ServerUnderTest gateway = new ServerUnderTest("device-gateway", jar, DevStack.freePort(),
                    ServiceClassPathRun.JVM, config, work.resolve("device-gateway.log")).start()) {
                // devices 0 … warmUp-1 for the warm-up, the next N for the measured waves
                FleetLoader.load(stack.jdbcUrl("gateway"), DevStack.DB_USER, DevStack.DB_PASSWORD, warmUp + commands);
                List<InstallRequested> warm = wave(0, warmUp, 1L << 40);
                IntakeMeasure.send(bootstrap, Topics.DEVICE_COMMANDS, warm, DeviceCommand::deviceId);
                IntakeMeasure.awaitCount(stack, "gateway", STORED, Long.toString(1L << 40), warmUp,
                        Duration.ofMinutes(5));
                say.accept(String.format(Locale.ROOT, "warm-up: %,d commands applied", warmUp));

                List<InstallRequested> first = wave(warmUp, commands, 2L << 40);
                KafkaBaseline.Rate plain = IntakeMeasure.plainConsumer(bootstrap, Topics.DEVICE_COMMANDS,
                        "bench-raw-commands", first, DeviceCommand::deviceId);
                figures.add(Figure.of("plain KafkaConsumer reading the same commands", plain.perSecond(), "records/s")
                        .note(String.format(Locale.ROOT, "%,d records in %.2f s, a fresh topic with the partitions of"
                                + " device-commands", plain.records(), plain.seconds())));
                measure(stack, gateway.pid(), first, 2L << 40, plain, figures, "devices with nothing pending");
                measure(stack, gateway.pid(), wave(warmUp, commands, 3L << 40), 3L << 40, plain, figures,
                        "each device's pending action superseded (one ActionCanceled each)");
            }
        }
    }

    /** Commands/s from the first send until every one of them is stored PENDING; the gateway's CPU per command. */
    private void measure(DevStack stack, long pid, List<InstallRequested> wave, long firstAction,
            KafkaBaseline.Rate plain, Figures figures, String what) throws Exception {
        IntakeMeasure.Timed applied = IntakeMeasure.throughTopic(stack, "gateway", pid, Topics.DEVICE_COMMANDS, wave,
                DeviceCommand::deviceId, STORED, Long.toString(firstAction), wave.size());
        figures.add(Figure.of(String.format(Locale.ROOT, "%,d InstallRequested, %s: commands/s through "
                + "device-commands until all stored", wave.size(), what), applied.rate(), "commands/s")
                .against(plain.perSecond(), "plain KafkaConsumer, same records").note(applied.note()));
        figures.add(Figure.of("device-gateway CPU per command (its JVM), " + what, applied.cpuMicros(), "µs"));
        say.accept(String.format(Locale.ROOT, "%s: %,.0f commands/s (%.0f µs CPU each) vs the plain consumer's %,.0f "
                + "records/s = %.1f %% | load %s", what, applied.rate(), applied.cpuMicros(), plain.perSecond(),
                100 * applied.rate() / plain.perSecond(), applied.load()));
    }

    /** One InstallRequested each for {@code count} devices from {@code from}, action ids from {@code firstAction}. */
    private static List<InstallRequested> wave(int from, int count, long firstAction) {
        List<InstallRequested> wave = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long action = firstAction + i;
            wave.add(new InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    FleetLoader.deviceId(from + i), action, "rollout-" + firstAction, 2, "board:1.0",
                    "release-" + firstAction, "fw", "1.1.0", List.of(ARTIFACT), ActionType.FORCED, null, false, null,
                    null));
        }
        return wave;
    }
}
