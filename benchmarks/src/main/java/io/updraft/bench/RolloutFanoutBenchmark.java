package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.bench.Figure.Target;
import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 4's fan-out benchmark: a fresh broker and database, the packaged rollout-service ({@code -Xmx1g}), N devices
 * in its inventory (COPY) and a published release in its catalog (a {@code ReleasePublished} on {@code releases}, as
 * release-service sends it). Then {@code POST /api/v1/rollouts} with one 100 % wave: the time from the POST until the
 * last {@code InstallRequested} of that rollout is read back from {@code device-commands}, against a plain
 * KafkaProducer sending as many records of the same size (acks=all) to a fresh topic with the same partitions, once
 * before and once after the fan-out (the ratio is against the mean of the two; each alone is in the note). Also
 * a 10,000-device 4-wave rollout: the time until all of its first wave's commands are on the topic. And the raw
 * consumer rate (the same records read back): the Kafka baselines of the suite. After the one-wave fan-out, issue 21's
 * per-stage breakdown ({@link FanoutBreakdown}: rollout-service's stage timer scraped before the POST and after the
 * last command) and the CPU of rollout-service, PostgreSQL and the broker over the POST and over the dispatch
 * ({@link ProcessCpu}); the raw producer's CPU (this JVM and the broker) likewise.
 */
final class RolloutFanoutBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The processes whose CPU the fan-out measures, as its tables and figures name them. */
    private static final String SERVICE_CPU = "rollout-service";
    private static final String POSTGRES_CPU = "PostgreSQL (cluster)";
    private static final String BROKER_CPU = "Kafka broker (stack JVM)";
    private static final String ROLLOUT_ID = UUID.randomUUID().toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path root;
    private final Path work;
    private final int devices;
    private final int waveDevices;
    private final Consumer<String> say;

    RolloutFanoutBenchmark(Path root, Path work, int devices, int waveDevices, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.devices = devices;
        this.waveDevices = waveDevices;
        this.say = say;
    }

    /** Kafka baseline figures go to {@code kafka}, the rollout's to {@code fanout}. */
    void run(Figures fanout, Figures kafka) throws Exception {
        AppSnapshot.deleteRecursively(work.resolve("stack"));
        Path apps = AppSnapshot.of(root, work.resolve("apps"), List.of("rollout-service"));
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            String bootstrap = stack.kafkaBootstrap();
            String jdbc = stack.jdbcUrl("rollout");
            DevKeys keys = DevKeys.in(work.resolve("keys"));
            Map<String, String> config = serviceConfig(stack, "rollout", keys);
            // -Dbench.rollout.<key>=<value> passes <key>=<value> to rollout-service (experiments)
            System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("bench.rollout."))
                    .forEach(key -> config.put(key.substring("bench.rollout.".length()), System.getProperty(key)));
            Path jar = apps.resolve("rollout-service/target/quarkus-app/quarkus-run.jar");
            try (ServerUnderTest service = new ServerUnderTest("rollout-service", jar, DevStack.freePort(),
                    List.of("-Xmx1g", "-XX:+UseG1GC"), config, work.resolve("rollout-service.log")).start()) {
                ReleasePublished release = publishRelease(bootstrap, jdbc);
                long started = System.nanoTime();
                InventoryLoader.load(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD, "fan", "fanout", devices);
                InventoryLoader.load(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD, "wav", "fanout-waves",
                        waveDevices);
                InventoryLoader.load(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD, "cold", "fanout-cold",
                        waveDevices);
                say.accept(String.format("inventory: %,d + 2 x %,d devices in %d cohorts loaded with COPY in %.1f s",
                        devices, waveDevices, InventoryLoader.COHORTS.size(), (System.nanoTime() - started) / 1e9));

                // the baselines first, on the same broker, with the same record size and partitions
                int partitions = KafkaBaseline.partitions(bootstrap, Topics.DEVICE_COMMANDS);
                byte[] sample = EventJson.writeBytes(sampleCommand(release, 0));
                String rawTopic = "bench-raw-commands";
                KafkaBaseline.createTopic(bootstrap, rawTopic, partitions);
                // each record serialised in the loop, as the dispatcher does: the baseline is a plain producer with
                // the services' producer settings sending the same commands, not a pre-serialised byte array
                Map<String, Supplier<OptionalDouble>> baselineProcesses = new LinkedHashMap<>();
                baselineProcesses.put("benchmark JVM (producer)",
                        () -> ProcessCpu.processSeconds(ProcessHandle.current().pid()));
                baselineProcesses.put(BROKER_CPU, () -> ProcessCpu.processSeconds(stack.pid()));
                awaitNoAutovacuum(jdbc, "before the raw producer");
                ProcessCpu.Snapshot beforeRaw = ProcessCpu.Snapshot.take(baselineProcesses);
                KafkaBaseline.Rate produced = KafkaBaseline.produce(bootstrap, rawTopic, devices,
                        i -> EventJson.writeBytes(sampleCommand(release, i)));
                Map<String, OptionalDouble> rawCpu = ProcessCpu.Snapshot.take(baselineProcesses).since(beforeRaw);
                String size = String.format("%,d-byte InstallRequested JSON + CloudEvents headers, %d partitions,"
                        + " acks=all, idempotent, lz4", sample.length, partitions);
                kafka.add(Figure.of("raw KafkaProducer (services' producer settings)", produced.perSecond(),
                        "records/s").note(
                        String.format("%,d records of %s in %.2f s", produced.records(), size, produced.seconds())));
                KafkaBaseline.Rate consumed = KafkaBaseline.consume(bootstrap, rawTopic, devices + 1,
                        Duration.ofMinutes(5));
                kafka.add(Figure.of("raw KafkaConsumer (assigned partitions, from the beginning)",
                        consumed.perSecond(), "records/s").note(String.format("%,d records of %s in %.2f s",
                                consumed.records(), size, consumed.seconds())));
                say.accept(String.format("baseline: raw producer %,.0f records/s, raw consumer %,.0f records/s (%s)",
                        produced.perSecond(), consumed.perSecond(), size));
                Map<String, Map<String, OptionalDouble>> rawPeriods = new LinkedHashMap<>();
                rawPeriods.put("raw producer", rawCpu);
                ProcessCpu.table(rawPeriods, devices).forEach(line -> say.accept("  " + line));
                cpuFigures(kafka, "raw KafkaProducer", rawCpu, devices, "over the raw producer's run (producer"
                        + " created, one warm-up record, the records, flush, close)");

                String token = keys.tokens().admin();
                try (CommandCounter counter = new CommandCounter(bootstrap, Topics.DEVICE_COMMANDS);
                        MemoryWatch memory = new MemoryWatch(List.of(new MemoryWatch.Server("rollout-service",
                                service.pid(), service.url())), Duration.ofMillis(500))) {
                    // the first rollout after the service started pays for class loading and the JIT: reported, then
                    // the same rollout over another 10,000 devices is the measured one (a service that has run before)
                    fourWaves(service, token, release, counter, fanout, "fanout-cold", false);
                    fourWaves(service, token, release, counter, fanout, "fanout-waves", true);
                    Map<String, Supplier<OptionalDouble>> processes = new LinkedHashMap<>();
                    processes.put(SERVICE_CPU, () -> ProcessCpu.processSeconds(service.pid()));
                    processes.put(POSTGRES_CPU,
                            () -> ProcessCpu.postgresSeconds(stack.dir().resolve("postgres")));
                    processes.put(BROKER_CPU, () -> ProcessCpu.processSeconds(stack.pid()));
                    // the raw producer again once the fan-out is over, on a fresh topic of its own: the ratio is
                    // taken against both runs' mean, so a machine that speeds up or slows down over the run moves
                    // the baseline with it (on this shared machine one raw run measured 50,000–80,000 records/s)
                    Callable<KafkaBaseline.Rate> rawAgain = () -> {
                        String again = rawTopic + "-after";
                        // the fan-out's million rows start autovacuum: the second run waits for it as the first did
                        awaitNoAutovacuum(jdbc, "before the raw producer's second run");
                        KafkaBaseline.createTopic(bootstrap, again, partitions);
                        KafkaBaseline.Rate after = KafkaBaseline.produce(bootstrap, again, devices,
                                i -> EventJson.writeBytes(sampleCommand(release, i)));
                        kafka.add(Figure.of("raw KafkaProducer after the fan-out", after.perSecond(), "records/s")
                                .note(String.format("%,d records in %.2f s, fresh topic", after.records(),
                                        after.seconds())));
                        return after;
                    };
                    OneWave measured = oneWave(service, token, release, counter, produced, rawAgain, fanout,
                            processes);
                    if (measured != null) {
                        ceilings(fanout, measured, jdbc, stack, rawCpu);
                    }
                    MemoryWatch.Peak peak = memory.peaks().get("rollout-service");
                    fanout.add(peak.heapBytes() == null
                            ? Figure.missing("rollout-service peak heap", "MB", "no /q/metrics sample answered")
                            : Figure.of("rollout-service peak heap", peak.heapBytes() / 1048576.0, "MB")
                                    .target(Target.atMost(1024)).note("max of jvm_memory_used_bytes{area=heap} over "
                                            + peak.samples() + " samples, -Xmx1g"));
                    if (peak.residentBytes() != null) {
                        fanout.add(Figure.of("rollout-service peak RSS (VmHWM)", peak.residentBytes() / 1048576.0,
                                "MB"));
                    }
                }
            }
        }
    }

    /** 10,000 devices, 4 waves: all of the first wave's commands on the topic within 1 s of the POST. */
    private void fourWaves(ServerUnderTest service, String token, ReleasePublished release, CommandCounter counter,
            Figures figures, String fleet, boolean measured) throws Exception {
        long posted = System.nanoTime();
        JsonNode view = createRollout(service, token, release, fleet, List.of(10, 25, 50, 100));
        double answered = (System.nanoTime() - posted) / 1e6;
        String id = view.path("id").asText();
        long firstWave = view.path("waves").path(0).path("devices").asLong();
        CommandCounter.Tally tally = counter.await(id, firstWave, Duration.ofSeconds(60));
        String name = String.format("%,d devices, 4 waves%s: POST until all of wave 1 (%,d commands) on the topic",
                waveDevices, measured ? "" : ", first rollout after the service started (cold JVM)", firstWave);
        if (tally.commands.get() < firstWave) {
            figures.add(Figure.missing(name, "ms", String.format("only %,d of %,d commands after 60 s",
                    tally.commands.get(), firstWave)));
            return;
        }
        double millis = (tally.lastNanos - posted) / 1e6;
        Figure figure = Figure.of(name, millis, "ms").note(String.format("POST answered after %.0f ms", answered));
        figures.add(measured ? figure.target(Target.atMost(1000)) : figure);
        say.accept(String.format("4-wave rollout of %,d devices%s: wave 1 = %,d commands on the topic %.0f ms after the "
                + "POST (POST answered in %.0f ms)", waveDevices, measured ? "" : " (cold JVM)", firstWave, millis,
                answered));
    }

    /**
     * What the one-wave fan-out measured: its rate, the raw producer's mean and how it is named, and the CPU per
     * command of each process (empty if one was not measured).
     */
    private record OneWave(double rate, double raw, String rawName, java.util.Optional<FanoutCeiling.PerCommand> cpu) {
    }

    /**
     * Issue 21's measured ceiling: the durable-row floor on this database (after the fan-out, with autovacuum idle),
     * then the CPU bounds of this design, of one durable row per device and of none ({@link FanoutCeiling}).
     */
    private void ceilings(Figures figures, OneWave measured, String jdbc, DevStack stack,
            Map<String, OptionalDouble> rawCpu) throws Exception {
        if (measured.cpu().isEmpty()) {
            figures.add(Figure.missing("fan-out CPU ceiling, this design (two rows per device)", "commands/s",
                    "a process's CPU was not measured"));
            return;
        }
        awaitNoAutovacuum(jdbc, "before the durable-row floor");
        DurableRowFloor.Result floor = DurableRowFloor.measure(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD,
                stack.dir().resolve("postgres"), "fanout");
        say.accept(String.format("durable-row floor: %,d device_action rows in one insert in %.2f s; PostgreSQL CPU"
                + " %.2f µs per row (cluster), %.2f (the backend)", floor.rows(), floor.seconds(),
                floor.clusterMicrosPerRow(), floor.backendCpu().isPresent()
                        ? floor.backendCpu().getAsDouble() * 1e6 / floor.rows() : Double.NaN));
        figures.add(Figure.of("PostgreSQL floor: one durable action row per device", floor.clusterMicrosPerRow(),
                "µs/command").note(String.format("%,d rows shaped as device_action (all its indexes), one set-based"
                        + " insert committed in %.2f s, cluster CPU; the backend alone %s", floor.rows(),
                        floor.seconds(), floor.backendCpu().isPresent() ? String.format("%.2f µs/row",
                                floor.backendCpu().getAsDouble() * 1e6 / floor.rows()) : "not measured")));
        double rawMicros = rawCpu.values().stream().allMatch(OptionalDouble::isPresent)
                ? rawCpu.values().stream().mapToDouble(OptionalDouble::getAsDouble).sum() * 1e6 / devices : -1;
        List<Figure> bounds = FanoutCeiling.figures(Runtime.getRuntime().availableProcessors(), measured.cpu().get(),
                floor.clusterMicrosPerRow(), measured.rate(), measured.raw(), measured.rawName(), rawMicros);
        bounds.forEach(figures::add);
        bounds.forEach(bound -> say.accept(String.format("%s: %,.0f %s = %.1f %% of the raw producer (%s)",
                bound.name(), bound.value() == null ? Double.NaN : bound.value(), bound.unit(),
                bound.ratio() == null ? Double.NaN : 100 * bound.ratio(), bound.note())));
    }

    /** N devices, one 100 % wave: POST until the last InstallRequested is on the topic. */
    private OneWave oneWave(ServerUnderTest service, String token, ReleasePublished release, CommandCounter counter,
            KafkaBaseline.Rate produced, Callable<KafkaBaseline.Rate> rawAgain, Figures figures,
            Map<String, Supplier<OptionalDouble>> processes) throws Exception {
        Map<String, FanoutBreakdown.Stage> stagesBefore = FanoutBreakdown.parse(metrics(service));
        ProcessCpu.Snapshot beforePost = ProcessCpu.Snapshot.take(processes);
        long posted = System.nanoTime();
        JsonNode view = createRollout(service, token, release, "fanout", List.of(100));
        long answeredNanos = System.nanoTime();
        ProcessCpu.Snapshot afterPost = ProcessCpu.Snapshot.take(processes);
        double answered = (answeredNanos - posted) / 1e9;
        String id = view.path("id").asText();
        long expected = view.path("waves").path(0).path("devices").asLong();
        say.accept(String.format("rollout of %,d devices in one wave: POST answered after %.1f s", expected, answered));
        Duration timeout = Duration.ofSeconds(120 + expected / 2_000);
        CommandCounter.Tally tally = counter.await(id, expected, timeout);
        ProcessCpu.Snapshot afterDispatch = ProcessCpu.Snapshot.take(processes);
        long dispatchEnded = tally.commands.get() < expected ? System.nanoTime() : tally.lastNanos;
        Map<String, OptionalDouble> postCpu = afterPost.since(beforePost);
        Map<String, OptionalDouble> dispatchCpu = afterDispatch.since(afterPost);
        breakdown(service, stagesBefore, figures, answered, (dispatchEnded - answeredNanos) / 1e9, expected,
                postCpu, dispatchCpu);
        if (tally.commands.get() < expected) {
            figures.add(Figure.missing(String.format("%,d devices, 1 wave: commands/s (POST → last InstallRequested)",
                    expected), "commands/s", String.format("only %,d of %,d commands on the topic after %d s",
                            tally.commands.get(), expected, timeout.toSeconds())));
            return null;
        }
        double seconds = (tally.lastNanos - posted) / 1e9;
        double rate = expected / seconds;
        figures.add(Figure.of(String.format("%,d devices, 1 wave: time from POST to last InstallRequested", expected),
                seconds, "s").note(String.format("POST answered after %.1f s; average record %,d bytes", answered,
                        tally.bytes.get() / Math.max(1, tally.commands.get()))));
        KafkaBaseline.Rate after = rawAgain.call();
        double raw = (produced.perSecond() + after.perSecond()) / 2;
        String baseline = String.format("raw KafkaProducer, same size and partitions, acks=all: mean of %,.0f before"
                + " and %,.0f records/s after the fan-out", produced.perSecond(), after.perSecond());
        figures.add(Figure.of(String.format("%,d devices, 1 wave: commands/s end to end", expected), rate,
                "commands/s").against(raw, baseline).target(Target.atLeast(100_000)));
        figures.add(Figure.of("fan-out rate as a share of the raw producer", 100 * rate / raw, "%")
                .target(Target.atLeast(80)).note(String.format("the same ratio as above, judged against issue 21's"
                        + " ≥ 80 %% (issue 4 asked ≥ 30 %%); against the raw run before the fan-out alone %.1f %%,"
                        + " after it alone %.1f %%", 100 * rate / produced.perSecond(),
                        100 * rate / after.perSecond())));
        say.accept(String.format("fan-out: %,d commands in %.2f s = %,.0f commands/s = %.1f %% of the raw producer "
                + "(%,.0f records/s, the mean of %,.0f before and %,.0f after the fan-out)", expected, seconds, rate,
                100 * rate / raw, raw, produced.perSecond(), after.perSecond()));
        return new OneWave(rate, raw, baseline, FanoutCeiling.PerCommand.of(List.of(postCpu, dispatchCpu),
                SERVICE_CPU, POSTGRES_CPU, BROKER_CPU, expected));
    }

    /**
     * Issue 21's per-stage breakdown: the service's {@code updraft.rollout.fanout.stage} timer since {@code before}
     * (scraped before the POST), and the CPU of each process over the POST and over the dispatch; printed and added as
     * figures.
     */
    private void breakdown(ServerUnderTest service, Map<String, FanoutBreakdown.Stage> before, Figures figures,
            double postSeconds, double dispatchSeconds, long commands, Map<String, OptionalDouble> postCpu,
            Map<String, OptionalDouble> dispatchCpu) {
        Map<String, FanoutBreakdown.Stage> stages;
        try {
            stages = FanoutBreakdown.since(before, FanoutBreakdown.parse(metrics(service)));
        } catch (Exception e) {
            stages = Map.of();
            say.accept("per-stage breakdown: /q/metrics did not answer: " + e);
        }
        if (stages.isEmpty()) {
            figures.add(Figure.missing(String.format("%,d devices, fan-out stages", commands), "µs/command",
                    "rollout-service has no " + FanoutBreakdown.METRIC + " timer (a service built before it)"));
        } else {
            say.accept(String.format("per-stage breakdown of the %,d-device fan-out (rollout-service's %s):", commands,
                    FanoutBreakdown.METRIC));
            FanoutBreakdown.table(stages, postSeconds, dispatchSeconds, commands).forEach(l -> say.accept("  " + l));
            FanoutBreakdown.addFigures(figures, stages, postSeconds, dispatchSeconds, commands);
        }
        Map<String, Map<String, OptionalDouble>> periods = new LinkedHashMap<>();
        periods.put(String.format("POST (%.2f s)", postSeconds), postCpu);
        periods.put(String.format("dispatch (%.2f s)", dispatchSeconds), dispatchCpu);
        ProcessCpu.table(periods, commands).forEach(line -> say.accept("  " + line));
        cpuFigures(figures, String.format("%,d devices, POST", commands), postCpu, commands,
                String.format("over the POST (%.2f s)", postSeconds));
        cpuFigures(figures, String.format("%,d devices, dispatch", commands), dispatchCpu, commands, String.format(
                "from the POST's answer until the last command was read back (%.2f s) and the consumer saw it",
                dispatchSeconds));
    }

    /** One figure per process: CPU µs per command over a period (its CPU seconds in the note). */
    private static void cpuFigures(Figures figures, String period, Map<String, OptionalDouble> cpu, long commands,
            String over) {
        cpu.forEach((process, seconds) -> figures.add(seconds.isPresent()
                ? Figure.of(period + ": CPU of " + process, seconds.getAsDouble() * 1e6 / commands, "µs/command")
                        .note(String.format("%.2f s CPU %s, %,d commands", seconds.getAsDouble(), over, commands))
                : Figure.missing(period + ": CPU of " + process, "µs/command", "no /proc figures for it")));
    }

    private static String metrics(ServerUnderTest service) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** What a packaged service needs to run against {@code stack}: broker, its database, the JWT key, this JVM. */
    static Map<String, String> serviceConfig(DevStack stack, String database, DevKeys keys) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
        config.put("quarkus.datasource.jdbc.url", stack.jdbcUrl(database));
        config.put("quarkus.datasource.username", DevStack.DB_USER);
        config.put("quarkus.datasource.password", DevStack.DB_PASSWORD);
        config.put("mp.jwt.verify.publickey.location", keys.publicKeyFile().toUri().toString());
        config.put("mp.jwt.verify.issuer", DevKeys.ISSUER);
        config.put("updraft.parent-pid", Long.toString(ProcessHandle.current().pid()));
        return config;
    }

    static JsonNode createRollout(ServerUnderTest service, String token, ReleasePublished release, String fleet,
            List<Integer> waves) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", "bench " + fleet).put("releaseId", release.releaseId())
                .put("soakTime", "PT1H").put("actionType", "FORCED");
        body.putObject("target").put("fleet", fleet);
        waves.forEach(body.putArray("waves")::add);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url()
                + "/api/v1/rollouts")).timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/rollouts answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Waits (at most a minute) until no autovacuum worker runs in the stack's PostgreSQL, so that neither raw producer
     * run shares the machine with a vacuum of the rows just written (the inventory's, or the fan-out's); says how long.
     */
    private void awaitNoAutovacuum(String jdbc, String when) throws Exception {
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(1).toNanos();
        try (Connection connection = DriverManager.getConnection(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD);
                PreparedStatement workers = connection.prepareStatement(
                        "select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'")) {
            while (true) {
                try (ResultSet row = workers.executeQuery()) {
                    row.next();
                    if (row.getLong(1) == 0 || System.nanoTime() > deadline) {
                        say.accept(String.format("autovacuum %s after %.1f s %s", row.getLong(1) == 0 ? "idle"
                                : "still running", (System.nanoTime() - started) / 1e9, when));
                        return;
                    }
                }
                Thread.sleep(200); // polling PostgreSQL's activity view, not a wait for the benchmark's own work
            }
        }
    }

    /** What release-service sends when it publishes, then waits until rollout-service has it in its catalog. */
    static ReleasePublished publishRelease(String bootstrap, String jdbc) throws Exception {
        List<HardwareCompatibility> hardware = InventoryLoader.COHORTS.stream()
                .map(c -> new HardwareCompatibility(c.model(), c.revision())).toList();
        ReleasePublished release = new ReleasePublished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                UUID.randomUUID().toString(), "gw-firmware", "2.0.0", List.of(new ArtifactRef(1, "os",
                        "gw-firmware-2.0.0.swu", 48_000_000, "9f".repeat(32), "3c".repeat(20), "a7".repeat(16))),
                hardware);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.RELEASES, release.key(), EventJson.write(release))).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection connection = DriverManager.getConnection(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD);
                PreparedStatement query = connection.prepareStatement("select count(*) from release where release_id = ?")) {
            query.setString(1, release.releaseId());
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next() && rows.getLong(1) == 1) {
                        return release;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("rollout-service did not put the ReleasePublished in its catalog within 60 s");
    }

    /** An InstallRequested as rollout-service sends it for this release: the baseline's record. */
    private static InstallRequested sampleCommand(ReleasePublished release, long i) {
        return new InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                String.format("fan-%07d", i), 1_000_000L + i, ROLLOUT_ID, 1, "gw-100:1.0", release.releaseId(),
                release.name(),
                release.version(), release.artifacts(), ActionType.FORCED, null, false, null, null);
    }
}
