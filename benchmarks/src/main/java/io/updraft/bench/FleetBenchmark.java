package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.bench.Figure.Target;
import io.updraft.devstack.DevStack;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.Topics;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.fleet.FleetScenario.FailureMode;
import io.updraft.fleet.FleetScenario.FailureRule;
import io.updraft.fleet.FleetScenario.HardwareMix;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import io.updraft.launcher.UpdraftApi;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The end-to-end benchmark: the embedded stack, the four packaged services as processes (LocalStack) and a simulated
 * fleet of N devices in hardware cohorts: a quarter of the fleet is split over {@code bench.e2e.failing-cohorts} models
 * (default 4) whose installs fail, each a cohort that telemetry decides and rolls back on its own; one rollout
 * in four waves. Measures wall time, commands/s, polls/s, detection latency (first failing report → RollbackTriggered,
 * both as read from Kafka here), peak heap and peak RSS per service, and progress over time for the chart.
 */
final class FleetBenchmark {
    static final String BAD_MODEL = "gw-200";
    /**
     * Failing cohorts in the run: the bad quarter of the fleet split over this many models (gw-200, gw-210, ...), each
     * a cohort of its own that telemetry decides alone, so one run gives that many detection latencies.
     */
    static final int FAILING_COHORTS_DEFAULT = 4;
    static final List<Integer> WAVES = List.of(10, 30, 60, 100);
    /** The rollout's rollback policy: a cohort's failure rate at or over this, over at least MIN_SAMPLE installs. */
    static final double FAILURE_RATE = 0.5;
    static final int MIN_SAMPLE = 5;

    /** One progress sample: seconds since the POST → wave → devices succeeded. */
    record Sample(double seconds, Map<Integer, Integer> succeededPerWave) {
    }

    /** What the chart needs: progress samples and what happened when. */
    record Progress(List<Sample> samples, List<ProgressChart.Marker> markers) {
    }

    private final Path work;
    private final int devices;
    private final int failingCohorts = Integer.getInteger("bench.e2e.failing-cohorts", FAILING_COHORTS_DEFAULT);
    private final Duration timeout;
    private final boolean register;
    private final Consumer<String> say;
    private final List<Sample> samples = new ArrayList<>();
    private final List<ProgressChart.Marker> markers = new ArrayList<>();

    /**
     * @param timeout how long the rollout may take from its POST
     * @param register devices register over DDI first (a registration storm) instead of being provisioned
     */
    FleetBenchmark(Path work, int devices, Duration timeout, boolean register, Consumer<String> say) {
        this.work = work;
        this.devices = devices;
        this.timeout = timeout;
        this.register = register;
        this.say = say;
    }

    /** gw-200, gw-210, ...: the failing models, {@code count} of them. */
    static List<String> badModels(int count) {
        List<String> models = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            models.add(String.format(java.util.Locale.ROOT, "gw-%d", 200 + 10 * i));
        }
        return models;
    }

    /** The cohorts that must be rolled back, sorted: every failing model on revision 1.0. */
    List<String> expectedCohorts() {
        return badModels(failingCohorts).stream().map(model -> model + ":1.0").sorted().toList();
    }

    /** {@code total} devices over {@code models}: the first ones take the remainder. */
    static List<HardwareMix> split(List<String> models, String revision, int total) {
        List<HardwareMix> mixes = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            int count = total / models.size() + (i < total % models.size() ? 1 : 0);
            mixes.add(new HardwareMix(models.get(i), revision, count));
        }
        return mixes;
    }

    int failingCohorts() {
        return failingCohorts;
    }

    synchronized Progress progress() {
        return new Progress(List.copyOf(samples), List.copyOf(markers));
    }

    /**
     * The gateway's polling interval for a fleet of this size: about 1,000 polls/s from the whole fleet while idle
     * (devices with something pending poll every 2 s), at least 2 s.
     */
    static long pollInterval(int devices) {
        return Math.max(2, devices / 1_000);
    }

    void run(Figures figures, SharedLocalStack shared) throws Exception {
        java.nio.file.Files.createDirectories(work); // pipeline-series.tsv
        long interval = pollInterval(devices);
        LocalStack stack = shared.get();
        UpdraftApi api = UpdraftApi.of(stack);
        FleetScenario scenario = scenario(stack, interval);
        if (!register) {
            long copied = System.nanoTime();
            FleetProvisioner.provision(stack.infrastructure(), scenario);
            // restarted, the gateway warms its poll cache with the whole fleet (as after any restart)
            stack.restart("device-gateway");
            awaitPollCache(stack.service("device-gateway"));
            say.accept(String.format("fleet: %,d devices provisioned (registered, attributes reported) in the "
                    + "gateway and the rollout inventory with COPY, gateway restarted, in %.1f s", devices,
                    secondsSince(copied)));
        }
        try (Fleet fleet = new Fleet(scenario).start()) {
            awaitInventory(stack, fleet);
            awaitFirstHeartbeatsConsumed(stack, fleet, figures);
            JsonNode release = publish(api);
            Map<String, ServiceProcess> services = stack.services();
            List<MemoryWatch.Server> watched = services.values().stream()
                    .map(s -> new MemoryWatch.Server(s.name(), s.pid(), s.url())).toList();
            try (ReportObserver observer = new ReportObserver(stack.infrastructure().kafkaBootstrap());
                    MemoryWatch memory = new MemoryWatch(watched, Duration.ofSeconds(1));
                    PipelineWatch pipeline = pipelineWatch(stack)) {
                StatementProfile statements = new StatementProfile(stack.infrastructure().jdbcUrl("postgres"));
                statements.reset();
                long polls = fleet.polls();
                long posted = System.nanoTime();
                long postedWall = System.currentTimeMillis();
                String rolloutId = createRollout(api, release);
                JsonNode end = follow(api, rolloutId, posted, observer, fleet);
                double wall = secondsSince(posted);
                long pollsDuring = fleet.polls() - polls;
                try {
                    record(figures, end, wall, pollsDuring, observer, rolloutId, posted, memory.peaks(), fleet);
                } finally {
                    detection(figures, observer, rolloutId, pipeline.samples(), postedWall, fleet);
                    statements.print(say, 12, wall);
                }
            }
        }
    }

    /**
     * Every 2 s: the lag of telemetry's Streams app (on its inputs and its cohort-signal repartition topic), of
     * rollout-service's consumers of device-reports and rollbacks and of the gateway's of device-commands; the rows
     * waiting in the gateway's and rollout-service's outbox; the CPU of the services, this JVM (bench and simulator),
     * PostgreSQL (with its backends) and the broker.
     */
    private static PipelineWatch pipelineWatch(LocalStack stack) {
        DevStack infra = stack.infrastructure();
        List<PipelineWatch.Lag> lags = List.of(
                new PipelineWatch.Lag("tel:reports", PipelineWatch.TELEMETRY_GROUP, Topics.DEVICE_REPORTS),
                new PipelineWatch.Lag("tel:telemetry", PipelineWatch.TELEMETRY_GROUP, Topics.DEVICE_TELEMETRY),
                new PipelineWatch.Lag("tel:signals", PipelineWatch.TELEMETRY_GROUP, PipelineWatch.SIGNALS_TOPIC),
                new PipelineWatch.Lag("ro:reports", "rollout-service", Topics.DEVICE_REPORTS),
                new PipelineWatch.Lag("ro:rollbacks", "rollout-service", Topics.ROLLBACKS),
                new PipelineWatch.Lag("gw:commands", "device-gateway", Topics.DEVICE_COMMANDS));
        List<PipelineWatch.Cpu> cpus = new ArrayList<>();
        Map<String, String> shortNames = Map.of("device-gateway", "gateway", "rollout-service", "rollout",
                "telemetry-service", "telemetry", "release-service", "release");
        for (String service : LocalStack.SERVICES) {
            cpus.add(new PipelineWatch.Cpu(shortNames.getOrDefault(service, service),
                    () -> stack.service(service).pid(), false));
        }
        long bench = ProcessHandle.current().pid();
        cpus.add(new PipelineWatch.Cpu("bench+sim", () -> bench, false));
        Path postgresData = infra.dir().resolve("postgres");
        cpus.add(new PipelineWatch.Cpu("postgres", () -> PipelineWatch.postmasterPid(postgresData), true));
        cpus.add(new PipelineWatch.Cpu("broker", infra::pid, false));
        return new PipelineWatch(infra.kafkaBootstrap(), lags, cpus, List.of(
                new PipelineWatch.Outbox("gw:outbox", infra.jdbcUrl("gateway")),
                new PipelineWatch.Outbox("ro:outbox", infra.jdbcUrl("rollout"))), Duration.ofSeconds(2));
    }

    /**
     * Prints where the pipeline's records waited (one line per 10 s; every sample in {@code pipeline-series.tsv}) and,
     * per RollbackTriggered of the rollout, where the time from the deciding report to the decision went; adds the
     * split of the expected cohort's decision and the detection latency's percentiles over the run's decisions.
     */
    private void detection(Figures figures, ReportObserver observer, String rolloutId,
            List<PipelineWatch.Sample> samples, long postedWall, Fleet fleet) {
        say.accept("pipeline during the rollout (max lag in records / outbox rows per 10 s, mean CPU in cores; t from "
                + "the POST; tel = telemetry's Streams app, ro = rollout-service, gw = gateway):");
        PipelineSeries.compact(samples, postedWall, 10_000).forEach(line -> say.accept("  " + line));
        try {
            java.nio.file.Files.write(work.resolve("pipeline-series.tsv"), PipelineSeries.tsv(samples));
        } catch (java.io.IOException e) {
            say.accept("  pipeline series not written: " + e);
        }
        List<ReportObserver.Decision> decisions = observer.decisions(rolloutId);
        List<Double> latencies = new ArrayList<>();
        String expected = BAD_MODEL + ":1.0";
        java.util.Set<String> split = new java.util.HashSet<>();
        for (ReportObserver.Decision decision : decisions) {
            if (!split.add(decision.cohort())) {
                continue; // a redelivered decision: its first reading counts
            }
            latencies.add((double) (decision.seenMillis() - decision.decidingTimestamp()));
            var deciding = observer.deciding(rolloutId, decision);
            Long sent = null;
            Long intake = null;
            Long consumed = null;
            String which = "the deciding record was not among the install results the bench read";
            if (deciding.isPresent()) {
                ReportObserver.Finished record = deciding.get().record();
                intake = record.occurredAt();
                sent = fleet.finalReport(record.deviceId(), record.actionId()).map(r -> r.sent().toEpochMilli())
                        .orElse(null);
                consumed = PipelineSeries.firstConsumedPast(samples, record.partition(), record.offset(),
                        record.timestamp()).map(PipelineWatch.Sample::wallMillis).orElse(null);
                which = String.format("deciding report: %s %s action %d, device-reports partition %d offset %d%s",
                        record.deviceId(), record.failed() ? "FAILURE" : "SUCCESS", record.actionId(),
                        record.partition(), record.offset(), deciding.get().candidates() > 1 ? String.format(
                                " (%d install results of the cohort share its timestamp; the one at which the bench's "
                                        + "count met the policy, else the first read)", deciding.get().candidates())
                                : "");
            }
            DetectionSplit times = new DetectionSplit(sent, intake, decision.decidingTimestamp(), consumed,
                    decision.decidedAt(), decision.seenMillis());
            say.accept(String.format("detection of %s (%s): %s", decision.cohort(), decision.reason(), which));
            times.lines().forEach(line -> say.accept("  " + line));
            String notMeasured = "not measured: " + which;
            if (decision.cohort().equals(expected)) {
                String note = "deciding report of " + expected + "; consumed = first 2 s lag sample in which "
                        + "telemetry-health had committed past it, at the latest the decision";
                times.stages().forEach((stage, millis) -> {
                    String name = "detection split: " + stage.trim();
                    figures.add(millis == null ? Figure.missing(name, "ms", notMeasured)
                            : Figure.of(name, millis, "ms").note(note));
                });
            }
        }
        String over = String.format("over %d decision(s) of this run (a rollout decides once per failing cohort: "
                + "this scenario has %d); deciding record's timestamp on device-reports → RollbackTriggered read by "
                + "the bench", latencies.size(), failingCohorts);
        if (latencies.isEmpty()) {
            figures.add(Figure.missing("detection latency p50", "ms", "no RollbackTriggered read"));
            figures.add(Figure.missing("detection latency p99", "ms", "no RollbackTriggered read"));
        } else {
            Percentiles percentiles = Percentiles.of(latencies);
            say.accept(String.format("detection latency (deciding report → RollbackTriggered): p50 %,.0f ms, p99 "
                    + "%,.0f ms, %s", percentiles.at(50), percentiles.at(99), over));
            figures.add(Figure.of("detection latency p50", percentiles.at(50), "ms").note(over));
            figures.add(Figure.of("detection latency p99", percentiles.at(99), "ms").target(Target.atMost(1000))
                    .note(over + "; issue 21: < 1 s"));
        }
    }

    private FleetScenario scenario(LocalStack stack, long interval) {
        int quarter = devices / 4;
        List<String> bad = badModels(failingCohorts);
        List<HardwareMix> hardware = new ArrayList<>(List.of(new HardwareMix("gw-100", "1.0", devices - 3 * quarter),
                new HardwareMix("gw-150", "2.0", quarter)));
        hardware.addAll(split(bad, "1.0", quarter));
        hardware.add(new HardwareMix("gw-300", "A", quarter));
        List<FailureRule> failures = bad.stream()
                .map(model -> new FailureRule(model, "1.2.0", 0.7, FailureMode.INSTALL_FAILURE)).toList();
        return new FleetScenario(stack.service("device-gateway").url(), "DEFAULT", stack.gatewayToken(), "bench",
                hardware, failures,
                Duration.ofMillis(300), Duration.ofSeconds(interval), "1.0.0", Duration.ofMillis(1500), List.of(),
                0.02, 7L);
    }

    /**
     * Every device's first poll sends a DeviceSeen heartbeat; a fleet started at once sends them all within one poll
     * interval, which a running fleet spreads over {@code heartbeat-sample}. Waits (at most 4 min) until
     * rollout-service has consumed that backlog on device-reports, so the rollout is measured on a steady fleet; the
     * rate it consumed them at is a figure of its own.
     */
    private void awaitFirstHeartbeatsConsumed(LocalStack stack, Fleet fleet, Figures figures) throws Exception {
        String bootstrap = stack.infrastructure().kafkaBootstrap();
        while (fleet.polls() < devices && fleet.sinceStart().toSeconds() < 60) {
            Thread.sleep(250); // every device has polled once
        }
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(4).toNanos();
        long first = KafkaBaseline.lag(bootstrap, "rollout-service", Topics.DEVICE_REPORTS);
        long lag = first;
        long consumed = 0;
        while (lag > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = KafkaBaseline.lag(bootstrap, "rollout-service", Topics.DEVICE_REPORTS);
            consumed += Math.max(0, lag - now);
            lag = now;
        }
        double seconds = secondsSince(started);
        say.accept(String.format("rollout-service consumed the fleet's first heartbeats on device-reports: %,d records "
                + "in %.0f s, %,d left", consumed, seconds, lag));
        if (consumed > 0 && seconds > 1) {
            figures.add(Figure.of("rollout-service consuming device-reports (first-poll DeviceSeen backlog)",
                    consumed / seconds, "records/s").note(String.format("%,d records in %.0f s; %,d left", consumed,
                            seconds, lag)));
        }
    }

    /** Until the gateway's poll cache holds the whole fleet (its warm-up query after the restart), at most 2 min. */
    private void awaitPollCache(ServiceProcess gateway) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url()
                        + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                if (ProcessMetrics.sum(metrics, "updraft_gateway_poll_cache_devices", Map.of()).orElse(0) >= devices) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        say.accept("  the gateway's poll cache did not reach the fleet size within 2 min; going on");
    }

    /** Until rollout-service's inventory holds every simulated device with its attributes (from device-reports). */
    private void awaitInventory(LocalStack stack, Fleet fleet) throws Exception {
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(5).toNanos();
        long known = 0;
        try (Connection db = DriverManager.getConnection(stack.infrastructure().jdbcUrl("rollout"), DevStack.DB_USER,
                DevStack.DB_PASSWORD); PreparedStatement count = db.prepareStatement(
                        "select count(*) from device where attributes ->> 'fleet' = 'bench'")) {
            long lastSaid = started;
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    known = rows.getLong(1);
                }
                if (known >= devices) {
                    say.accept(String.format("inventory: all %,d devices registered and described in %.0f s (%s)",
                            known, secondsSince(started), fleet.summary()));
                    return;
                }
                if (System.nanoTime() - lastSaid > 15e9) {
                    lastSaid = System.nanoTime();
                    say.accept(String.format("  inventory %,d / %,d — %s", known, devices, fleet.summary()));
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException(String.format("inventory did not fill within 5 min: %,d of %,d devices; "
                + "fleet: %s; last error: %s", known, devices, fleet.summary(), fleet.lastError()));
    }

    private JsonNode publish(UpdraftApi api) {
        byte[] image = new byte[16 * 1024];
        new Random(12).nextBytes(image);
        List<UpdraftApi.Hardware> hardware = new ArrayList<>(List.of(new UpdraftApi.Hardware("gw-100", "1.0"),
                new UpdraftApi.Hardware("gw-150", "2.0"), new UpdraftApi.Hardware("gw-300", "A")));
        badModels(failingCohorts).forEach(model -> hardware.add(new UpdraftApi.Hardware(model, "1.0")));
        return api.publishRelease("bench-firmware", "1.2.0", hardware,
                List.of(new UpdraftApi.Artifact("bench-firmware-1.2.0.swu", image)));
    }

    private String createRollout(UpdraftApi api, JsonNode release) throws InterruptedException {
        ObjectNode body = UpdraftApi.object().put("name", "bench 1.2.0").put("releaseId", release.path("id").asText())
                .put("soakTime", "PT3S").put("errorThreshold", 0.5).put("actionType", "FORCED");
        body.putObject("target").put("fleet", "bench");
        WAVES.forEach(body.putArray("waves")::add);
        body.putObject("rollbackPolicy").put("failureRateThreshold", FAILURE_RATE).put("minSampleSize", MIN_SAMPLE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var response = api.tryCreateRollout(body);
            if (response.statusCode() == 201) {
                return UpdraftApi.parse(response.body()).path("id").asText();
            }
            // the release reaches rollout-service through Kafka
            if (response.statusCode() != 422 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST /api/v1/rollouts answered " + response.statusCode() + ": "
                        + response.body());
            }
            Thread.sleep(200);
        }
    }

    /** Samples the rollout every second until it ends (and its rollback installs finished) or the timeout. */
    private JsonNode follow(UpdraftApi api, String rolloutId, long posted, ReportObserver observer, Fleet fleet)
            throws InterruptedException {
        long deadline = posted + timeout.toNanos();
        long lastSaid = System.nanoTime();
        Map<Integer, String> waveStates = new TreeMap<>();
        boolean rollbackMarked = false;
        JsonNode view = api.rollout(rolloutId);
        while (true) {
            view = api.rollout(rolloutId);
            double t = secondsSince(posted);
            Map<Integer, Integer> succeeded = new TreeMap<>();
            for (JsonNode wave : view.path("waves")) {
                int number = wave.path("wave").asInt();
                succeeded.put(number, wave.path("succeeded").asInt());
                String state = wave.path("state").asText();
                if (!state.equals(waveStates.put(number, state)) && "RUNNING".equals(state)) {
                    synchronized (this) {
                        markers.add(new ProgressChart.Marker(t, "wave " + number));
                    }
                }
            }
            Long triggered = observer.rollbackNanos(rolloutId);
            synchronized (this) {
                samples.add(new Sample(t, succeeded));
                if (!rollbackMarked && triggered != null) {
                    rollbackMarked = true;
                    markers.add(new ProgressChart.Marker((triggered - posted) / 1e9, "rollback "
                            + observer.rolledBackCohorts(rolloutId)));
                }
            }
            if (ended(view) || System.nanoTime() > deadline) {
                return view;
            }
            if (System.nanoTime() - lastSaid > 10e9) {
                lastSaid = System.nanoTime();
                say.accept(String.format("  t=%.0fs rollout %s, commands on device-commands %,d, succeeded per wave "
                        + "%s — %s", t, view.path("state").asText(), observer.commands(rolloutId), succeeded,
                        fleet.summary()));
            }
            Thread.sleep(1000);
        }
    }

    private static boolean ended(JsonNode view) {
        String state = view.path("state").asText();
        JsonNode rollbacks = view.path("rollbackActions");
        return ("COMPLETED".equals(state) || "ABORTED".equals(state))
                && rollbacks.path("sent").asInt() == rollbacks.path("succeeded").asInt()
                        + rollbacks.path("failed").asInt();
    }

    private void record(Figures figures, JsonNode end, double wall, long polls, ReportObserver observer,
            String rolloutId, long posted, Map<String, MemoryWatch.Peak> peaks, Fleet fleet) {
        String state = end.path("state").asText();
        List<String> rolledBack = new ArrayList<>();
        end.path("cohorts").forEach(c -> {
            if ("ROLLED_BACK".equals(c.path("state").asText())) {
                rolledBack.add(c.path("cohort").asText());
            }
        });
        int succeeded = 0;
        int failed = 0;
        for (JsonNode wave : end.path("waves")) {
            succeeded += wave.path("succeeded").asInt();
            failed += wave.path("failed").asInt();
        }
        say.accept(String.format("rollout %s after %.0f s: %,d succeeded, %,d failed, cohorts rolled back %s; %s",
                state, wall, succeeded, failed, rolledBack, fleet.summary()));
        boolean finished = "COMPLETED".equals(state);
        String outcome = String.format("rollout %s, %,d succeeded, %,d failed, rolled back %s", state, succeeded,
                failed, rolledBack);
        if (finished) {
            figures.add(Figure.of(String.format("%,d devices, 4 waves: wall time POST → completed", devices), wall, "s")
                    .note(outcome));
        } else {
            figures.add(Figure.missing(String.format("%,d devices, 4 waves: wall time POST → completed", devices), "s",
                    String.format("not completed within %.0f s: %s", wall, outcome)));
        }
        long commands = observer.commands(rolloutId);
        figures.add(Figure.of("InstallRequested per second (rollout's commands / wall time)", commands / wall,
                "commands/s").note(String.format("%,d commands incl. rollback installs", commands)));
        figures.add(Figure.of("polls per second (simulator, during the rollout)", polls / wall, "polls/s")
                .note(String.format("%,d polls; fleet: %s", polls, fleet.summary())));
        double peakRate = 0;
        List<Sample> all = progress().samples();
        for (int i = 1; i < all.size(); i++) {
            double dt = all.get(i).seconds() - all.get(i - 1).seconds();
            int delta = total(all.get(i)) - total(all.get(i - 1));
            if (dt > 0) {
                peakRate = Math.max(peakRate, delta / dt);
            }
        }
        figures.add(Figure.of("devices succeeded per second (peak over 1 s samples)", peakRate, "devices/s"));
        Long firstFailure = observer.firstFailureNanos(rolloutId);
        Long trigger = observer.rollbackNanos(rolloutId);
        List<String> triggeredCohorts = observer.rolledBackCohorts(rolloutId);
        String expected = BAD_MODEL + ":1.0";
        List<String> expectedAll = expectedCohorts();
        if (firstFailure != null && trigger != null) {
            figures.add(Figure.of("detection latency: first failing ActionFinished → RollbackTriggered",
                    (trigger - firstFailure) / 1e6, "ms").note("both as read from Kafka by the bench; includes "
                            + "waiting for the policy's minimum sample; RollbackTriggered for " + triggeredCohorts
                            + " (expected " + expectedAll + ")"));
        } else {
            figures.add(Figure.missing("detection latency: first failing ActionFinished → RollbackTriggered", "ms",
                    firstFailure == null ? "no failing ActionFinished seen" : "no RollbackTriggered seen"));
        }
        Long crossed = observer.thresholdNanos(rolloutId, expected);
        if (crossed != null && trigger != null) {
            figures.add(Figure.of("detection latency: report that met the rollback policy → RollbackTriggered",
                    (trigger - crossed) / 1e6, "ms").target(Target.atMost(1000)).note(String.format(
                            "the %s install report at which ≥ %.0f %% of ≥ %d finished installs had failed, as the "
                                    + "bench counts them", expected, 100 * FAILURE_RATE, MIN_SAMPLE)));
        }
        boolean exactly = triggeredCohorts.stream().distinct().sorted().toList().equals(expectedAll)
                && rolledBack.stream().sorted().toList().equals(expectedAll);
        figures.add(Figure.of(String.format("exactly the %d failing cohorts rolled back", expectedAll.size()),
                exactly ? 1 : 0, "(1 = yes)").target(Target.atLeast(1))
                .note("RollbackTriggered for " + triggeredCohorts + ", ROLLED_BACK in rollout-service: " + rolledBack));
        for (MemoryWatch.Peak peak : peaks.values()) {
            figures.add(peak.heapBytes() == null ? Figure.missing(peak.name() + " peak heap", "MB", "no sample")
                    : Figure.of(peak.name() + " peak heap", peak.heapBytes() / 1048576.0, "MB")
                            .note(peak.samples() + " samples of jvm_memory_used_bytes{area=heap}, "
                                    + String.join(" ", ServiceProcess.jvmOptions(System.getProperty(
                                            DevStack.PROFILE_PROPERTY, "")))));
            if (peak.residentBytes() != null) {
                figures.add(Figure.of(peak.name() + " peak RSS (VmHWM)", peak.residentBytes() / 1048576.0, "MB"));
            }
        }
        if (!finished) {
            throw new IllegalStateException(String.format("%s after %.0f s (timeout %d s)", outcome, wall,
                    timeout.toSeconds()));
        }
    }

    private static int total(Sample sample) {
        return sample.succeededPerWave().values().stream().mapToInt(Integer::intValue).sum();
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    /**
     * Reads device-reports, rollbacks and device-commands from their end offsets at creation: when the first failing
     * install of each rollout arrived here, when its RollbackTriggered did, and how many commands it sent.
     */
    static final class ReportObserver implements AutoCloseable {
        /** An install result of a rollout as read from device-reports; times in epoch ms. */
        record Finished(int partition, long offset, long timestamp, String deviceId, long actionId, String cohort,
                boolean failed, long occurredAt, long seenMillis) {
        }

        /** A RollbackTriggered as read from rollbacks; times in epoch ms. */
        record Decision(String cohort, long decidingTimestamp, long decidedAt, long seenMillis, String reason) {
        }

        /** The deciding record of a decision, and how many install results of the cohort shared its timestamp. */
        record Deciding(Finished record, int candidates) {
        }

        private final KafkaConsumer<String, String> consumer;
        private final Map<String, List<Finished>> finishedByCohort = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Finished> thresholdRecord = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, List<Decision>> decisions = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> firstFailure = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> rollback = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, List<String>> cohorts = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> commands = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, long[]> finishedPerCohort = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> thresholdCrossed = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread reader;
        private volatile boolean running = true;

        ReportObserver(String bootstrap) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the topology's output is transactional
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
            consumer = new KafkaConsumer<>(props);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.DEVICE_REPORTS, Topics.ROLLBACKS, Topics.DEVICE_COMMANDS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            reader = new Thread(this::read, "report-observer");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        observe(record);
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("report observer stopped: " + e);
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        private void observe(ConsumerRecord<String, String> record) {
            String topic = record.topic();
            String value = record.value();
            if (value == null) {
                return;
            }
            long now = System.nanoTime();
            long wall = System.currentTimeMillis();
            try {
                if (Topics.DEVICE_REPORTS.equals(topic) && value.contains("\"ActionFinished\"")
                        && EventJson.read(value, DeviceReport.class) instanceof ActionFinished finished
                        && !finished.rollback() && finished.rolloutId() != null) {
                    boolean failed = finished.outcome() == DeviceReport.Outcome.FAILURE;
                    if (failed) {
                        firstFailure.putIfAbsent(finished.rolloutId(), now);
                    }
                    String key = finished.rolloutId() + " " + finished.cohort();
                    Finished seen = new Finished(record.partition(), record.offset(), record.timestamp(),
                            finished.deviceId(), finished.actionId(), finished.cohort(), failed,
                            finished.occurredAt().toEpochMilli(), wall);
                    finishedByCohort.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(
                            new ArrayList<>())).add(seen);
                    long[] counts = finishedPerCohort.computeIfAbsent(key, k -> new long[2]); // finished, failed
                    counts[0]++;
                    counts[1] += failed ? 1 : 0;
                    if (counts[0] >= MIN_SAMPLE && counts[1] >= FAILURE_RATE * counts[0]) {
                        if (thresholdCrossed.putIfAbsent(key, now) == null) {
                            thresholdRecord.put(key, seen);
                        }
                    }
                } else if (Topics.ROLLBACKS.equals(topic)
                        && EventJson.read(value, RollbackEvent.class) instanceof RollbackTriggered triggered) {
                    rollback.putIfAbsent(triggered.rolloutId(), now);
                    // the referee writes it with the deciding record's timestamp (also the evidence's windowEnd)
                    decisions.computeIfAbsent(triggered.rolloutId(), id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(new Decision(triggered.cohort(), record.timestamp(),
                                    triggered.occurredAt().toEpochMilli(), wall, triggered.reason()));
                    cohorts.computeIfAbsent(triggered.rolloutId(), id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(triggered.cohort());
                } else if (Topics.DEVICE_COMMANDS.equals(topic) && value.contains("\"InstallRequested\"")) {
                    int at = value.indexOf("\"rolloutId\":\"");
                    if (at >= 0) {
                        int start = at + "\"rolloutId\":\"".length();
                        commands.merge(value.substring(start, value.indexOf('"', start)), 1L, Long::sum);
                    }
                }
            } catch (RuntimeException unreadable) {
                // not ours to judge: a record the services park on a .dlq
            }
        }

        Long firstFailureNanos(String rolloutId) {
            return firstFailure.get(rolloutId);
        }

        /** When the cohort's installs of the rollout first met the rollback policy (as the bench counts them). */
        Long thresholdNanos(String rolloutId, String cohort) {
            return thresholdCrossed.get(rolloutId + " " + cohort);
        }

        /** The RollbackTriggered of the rollout, in the order read (redeliveries included). */
        List<Decision> decisions(String rolloutId) {
            return List.copyOf(decisions.getOrDefault(rolloutId, List.of()));
        }

        /**
         * The cohort's install result with the decision's timestamp: the one at which the bench's own count met the
         * policy if it has that timestamp, else the first read (records relayed in one batch can share a millisecond).
         */
        java.util.Optional<Deciding> deciding(String rolloutId, Decision decision) {
            String key = rolloutId + " " + decision.cohort();
            List<Finished> candidates;
            List<Finished> all = finishedByCohort.getOrDefault(key, List.of());
            synchronized (all) {
                candidates = all.stream().filter(f -> f.timestamp() == decision.decidingTimestamp()).toList();
            }
            if (candidates.isEmpty()) {
                return java.util.Optional.empty();
            }
            Finished crossed = thresholdRecord.get(key);
            Finished chosen = crossed != null && candidates.contains(crossed) ? crossed : candidates.get(0);
            return java.util.Optional.of(new Deciding(chosen, candidates.size()));
        }

        Long rollbackNanos(String rolloutId) {
            return rollback.get(rolloutId);
        }

        List<String> rolledBackCohorts(String rolloutId) {
            return List.copyOf(cohorts.getOrDefault(rolloutId, List.of()));
        }

        long commands(String rolloutId) {
            return commands.getOrDefault(rolloutId, 0L);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            reader.join(10_000);
        }
    }
}
