package io.updraft.bench;

import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.devstack.DevStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code ./updraft bench [--quick] [--record] [--only poll,topology,fanout,e2e,cli,delta,coldstart,selection,reports,
 * commands]}: every benchmark of Updraft with its baselines, in one run on this machine — the gateway poll benchmark,
 * the telemetry topology benchmark, the rollout fan-out benchmark (with the raw Kafka producer and consumer rates), the
 * end-to-end fleet benchmark, the CLI calls and delta updates (on the end-to-end benchmark's four-service stack), the
 * rollout cold start, rollout-service's target selection and report intake, and the gateway's command intake. Writes
 * {@code target/bench/results.json}, {@code results.md} and {@code rollout-progress.svg}; prints each benchmark's wall
 * time beside its {@code --quick} budget ({@link RunBudget}). A benchmark that fails is marked failed with its reason
 * and the suite goes on.
 */
public final class BenchSuite {
    static final List<String> BENCHMARKS = List.of("poll", "topology", "fanout", "e2e", "cli", "delta", "coldstart",
            "selection", "reports", "commands");

    private final Path root;
    private final Path out;
    private final boolean quick;
    private final Set<String> only;
    private final boolean record;
    private final List<BenchmarkResult> results = new ArrayList<>();
    private final Map<String, String> loads = new LinkedHashMap<>();
    /** When each benchmark started: the date --record gives its figures. */
    private final Map<String, String> starts = new LinkedHashMap<>();
    /** Each benchmark's own wall time, and the shared stack's start apart, for the budget table. */
    private final List<RunBudget.Row> times = new ArrayList<>();
    private SharedLocalStack shared;
    private final long startedNanos = System.nanoTime();
    private final String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    private FleetBenchmark.Progress progress;
    private String progressMissing = "the end-to-end benchmark did not run";

    BenchSuite(Path root, Path out, boolean quick, Set<String> only, boolean record) {
        this.root = root;
        this.out = out;
        this.quick = quick;
        this.only = only;
        this.record = record;
    }

    public static void main(String[] args) throws Exception {
        // JBoss LogManager as the JDK's, as Quarkus and the benchmark children have it, before any logger exists (a
        // logger made first initialises the JDK's own, and JBossLoggerFinder then complains); then the module's levels,
        // so that the baselines' Kafka clients log as a service's would
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        ServiceLogLevels.applyFromClassPath();
        boolean quick = false;
        boolean record = false;
        Set<String> only = new TreeSet<>(BENCHMARKS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--record" -> record = true;
                case "--only" -> only = new TreeSet<>(Arrays.asList(args[++i].split(",")));
                case "-h", "--help" -> {
                    System.out.println("usage: ./updraft bench [--quick] [--record] [--only "
                            + String.join(",", BENCHMARKS) + "]   (see benchmarks/README.md)");
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: ./updraft bench [--quick] [--record] [--only "
                            + String.join(",", BENCHMARKS) + "]");
                    System.exit(64);
                }
            }
        }
        if (!BENCHMARKS.containsAll(only)) {
            System.err.println("--only takes some of " + BENCHMARKS);
            System.exit(64);
        }
        if (System.getProperty(DevStack.PROFILE_PROPERTY) == null) {
            // broker and services as they run for real: full JIT, production GC settings (not the quick-start ones)
            System.setProperty(DevStack.PROFILE_PROPERTY, "benchmark");
        }
        Path root = Path.of(System.getProperty("updraft.root", ".")).toAbsolutePath().normalize();
        Path out = Path.of(System.getProperty("bench.out", root.resolve("target/bench").toString()));
        boolean failed = new BenchSuite(root, out, quick, only, record).run();
        System.exit(failed ? 1 : 0);
    }

    /** @return whether any benchmark failed */
    boolean run() throws IOException {
        Files.createDirectories(out);
        say("updraft bench%s: %s on %s", quick ? " --quick" : "", String.join(", ", BENCHMARKS.stream()
                .filter(only::contains).toList()), machine());
        Path work = root.resolve("benchmarks/target/bench-work");
        if (only.contains("poll")) {
            int devices = Integer.getInteger("bench.poll.devices", quick ? 100_000 : 1_000_000);
            // --quick: 10 s runs (the full run: 20 s); each after its server's warm-up settled (WarmUp)
            int seconds = Integer.getInteger("bench.poll.seconds", quick ? 10 : 20);
            attempt("gateway poll", String.format(Locale.ROOT, "%,d devices, nothing-new polls with TargetToken "
                    + "vs a bare Quarkus endpoint (wrk), latency at a fixed rate, gateway heap", devices), figures -> {
                        Wrk.requireInstalled();
                        new PollBenchmark(devices, seconds, figures).run();
                    });
        }
        if (only.contains("topology")) {
            Map<String, String> sizes = new TreeMap<>(quick ? Map.of("bench.events", "50000", "bench.warmup", "20000",
                    "bench.devices", "1000", "bench.trials", "10", "bench.rounds", "1")
                    : Map.of("bench.events", "1000000", "bench.warmup", "300000", "bench.devices", "2000",
                            "bench.trials", "50", "bench.rounds", "3"));
            // -Dbench.topology.<key>=<value>: -Dbench.<key>=<value> of TopologyBenchmark (bench.streams.* too)
            System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("bench.topology."))
                    .forEach(key -> sizes.put("bench." + key.substring("bench.topology.".length()),
                            System.getProperty(key)));
            attempt("telemetry topology", "HealthReported/s through the health topology (at-least-once, the "
                    + "default, and exactly-once) vs a plain KafkaConsumer; detection latency (TopologyBenchmark on "
                    + "telemetry-service's class path, "
                    + sizes + ")", figures -> new TopologyBenchmarkRun(root, work.resolve("topology"),
                            sizes, this::line).run(figures));
        }
        if (only.contains("fanout")) {
            int devices = Integer.getInteger("bench.fanout.devices", quick ? 100_000 : 1_000_000);
            int waveDevices = Integer.getInteger("bench.fanout.wave-devices", 10_000);
            Figures kafka = new Figures();
            long started = System.nanoTime();
            attempt("rollout fan-out", String.format(Locale.ROOT, "%,d devices, one 100 %% wave: POST → last "
                    + "InstallRequested on device-commands, vs a raw KafkaProducer; %,d devices in 4 waves: POST → "
                    + "wave 1 on the topic", devices, waveDevices), figures -> new RolloutFanoutBenchmark(root,
                            work.resolve("fanout"), devices, waveDevices, this::line).run(figures, kafka));
            List<Figure> measured = kafka.list();
            loads.put("Kafka baselines", loads.get("rollout fan-out"));
            starts.put("Kafka baselines", starts.get("rollout fan-out"));
            double seconds = (System.nanoTime() - started) / 1e9;
            // the producer's and the consumer's rate, then the raw producer's CPU figures
            results.add(measured.size() >= 2 ? BenchmarkResult.ok("Kafka baselines", "raw producer and consumer "
                    + "rates of the same broker, measured inside the fan-out run", seconds, measured)
                    : BenchmarkResult.failed("Kafka baselines", "raw producer and consumer rates of the same broker",
                            seconds, "the fan-out run stopped before its baselines were measured", measured));
            write();
        }
        // e2e, cli and delta run against the four packaged services: one stack for the three, started by the first
        int e2eDevices = Integer.getInteger("bench.e2e.devices", quick ? 1_000 : 100_000);
        shared = new SharedLocalStack(root, work.resolve("services"), FleetBenchmark.pollInterval(e2eDevices),
                this::line);
        try {
            if (only.contains("e2e")) {
                int devices = e2eDevices;
                // --quick must end within 10 min: its rollout (1,000 devices) is given up 150 s after the POST
                Duration timeout = Duration.ofSeconds(Long.getLong("bench.e2e.timeout-seconds", quick ? 150 : 1_800));
                boolean register = Boolean.getBoolean("bench.e2e.register");
                FleetBenchmark fleet = new FleetBenchmark(work.resolve("e2e"), devices, timeout, register, this::line);
                attempt("end to end", String.format(Locale.ROOT, "%,d simulated devices, %d of their cohorts fail "
                        + "and are rolled back, 4 waves, the four packaged services", devices, fleet.failingCohorts()),
                        figures -> {
                            try {
                                fleet.run(figures, shared);
                            } finally {
                                progress = fleet.progress();
                            }
                        });
                BenchmarkResult e2e = results.get(results.size() - 1);
                progressMissing = e2e.passed() ? null : "end-to-end benchmark failed: " + e2e.error();
                writeChart(devices);
            }
            if (only.contains("cli")) {
                // --quick: 5 calls per way and command, as the full run's 20 alternate the ways round by round
                int calls = Integer.getInteger("bench.cli.calls", quick ? 5 : 20);
                attempt("CLI calls", String.format(Locale.ROOT, "rollout status and release list, %d calls each "
                        + "through ./updraft (CLI jar + class-data-sharing archive) vs the launcher class path, against "
                        + "the four packaged services", calls), figures -> new CliBenchmark(root, calls, this::line)
                                .run(figures, shared));
            }
            if (only.contains("delta")) {
                int imageMb = Integer.getInteger("bench.delta.image-mb", quick ? 16 : 256);
                int passes = Integer.getInteger("bench.delta.passes", quick ? 1 : 5);
                attempt("delta updates", String.format(Locale.ROOT, "a %d MB image with 2 %%, 10 %% and 50 %% of its 4 "
                        + "KiB blocks changed, published with delta=zchunk: bytes the simulator's delta client "
                        + "downloads vs the full image; the gateway's multi-range answers vs single-range GETs of the "
                        + "same bytes (%d passes)", imageMb, passes), figures -> new DeltaBenchmark(work.resolve(
                                "delta"), imageMb, passes, this::line).run(figures, shared));
            }
        } finally {
            try {
                shared.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (only.contains("coldstart")) {
            int devices = Integer.getInteger("bench.coldstart.devices", 10_000);
            // --quick: only the service as it ships (its first rollout and a second one); the full run starts it
            // without its warm-up too
            boolean withoutWarmUp = Boolean.parseBoolean(System.getProperty("bench.coldstart.without-warm-up",
                    Boolean.toString(!quick)));
            attempt("rollout cold start", String.format(Locale.ROOT, "the first rollout after rollout-service "
                    + "started, %,d devices in 4 waves: POST → wave 1 on the topic, %s the warm-up at readiness, and a "
                    + "second rollout after it; phases, CPU, classes loaded", devices, withoutWarmUp ? "without and with"
                            : "with"), figures -> new ColdStartBenchmark(root, work.resolve("coldstart"), devices,
                                    withoutWarmUp, this::line).run(figures));
        }
        if (only.contains("selection")) {
            int devices = Integer.getInteger("bench.selection.devices", quick ? 100_000 : 1_000_000);
            attempt("rollout target selection", String.format(Locale.ROOT, "%,d devices in rollout-service's "
                    + "inventory: insert with the generated version key vs without; count of the target set of five "
                    + "filters (TargetSelectionBenchmark on rollout-service's class path)", devices),
                    figures -> new TargetSelectionRun(root, work.resolve("selection"), devices, this::line)
                            .run(figures));
        }
        if (only.contains("reports")) {
            int devices = Integer.getInteger("bench.reports.devices", quick ? 3_000 : 20_000);
            attempt("rollout report intake", String.format(Locale.ROOT, "%,d devices × 3 device-reports through the "
                    + "packaged rollout-service until every action SUCCEEDED, vs a plain KafkaConsumer; %,d "
                    + "DeviceRegistered", devices, devices), figures -> new ReportIntakeBenchmark(root,
                            work.resolve("reports"), devices, this::line).run(figures));
        }
        if (only.contains("commands")) {
            int commands = Integer.getInteger("bench.commands.count", quick ? 3_000 : 20_000);
            attempt("gateway command intake", String.format(Locale.ROOT, "%,d InstallRequested through the packaged "
                    + "device-gateway until all stored, nothing pending and superseding, vs a plain KafkaConsumer",
                    commands), figures -> new CommandIntakeBenchmark(root, work.resolve("commands"), commands,
                            this::line).run(figures));
        }
        write();
        if (record) {
            Path json = root.resolve("docs/performance-figures.json");
            FigureLedger ledger = FigureLedger.read(json);
            ledger.record(report(), loads, starts);
            ledger.write(json, root.resolve("docs/performance-figures.md"));
            say("recorded: %s (and .json)", root.resolve("docs/performance-figures.md"));
        }
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        System.out.println();
        System.out.print(report().markdown());
        System.out.println();
        say("results: %s, %s%s", out.resolve("results.json"), out.resolve("results.md"),
                only.contains("e2e") ? ", " + out.resolve("rollout-progress.svg") : "");
        boolean failed = results.stream().anyMatch(r -> !r.passed());
        say("elapsed: %.0f s (%d min %02d s)%s", elapsed, (long) elapsed / 60, (long) elapsed % 60,
                failed ? " — some benchmarks failed, see above" : "");
        RunBudget.table(times, quick, elapsed).forEach(this::line);
        say("load average now: %s", loadAverage());
        return failed;
    }

    /** A benchmark's body: adds its figures as it measures them. */
    interface Body {
        void run(Figures figures) throws Exception;
    }

    private void attempt(String name, String description, Body body) {
        say("");
        say("== %s: %s", name, description);
        loads.put(name, loadAverage());
        starts.put(name, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Figures figures = new Figures();
        long started = System.nanoTime();
        BenchmarkResult result;
        try {
            body.run(figures);
            result = BenchmarkResult.ok(name, description, (System.nanoTime() - started) / 1e9, figures.list());
        } catch (Throwable e) {
            String why = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
            why = why.length() > 600 ? why.substring(0, 600) + "…" : why;
            say("%s FAILED: %s", name, why);
            e.printStackTrace(System.out);
            result = BenchmarkResult.failed(name, description, (System.nanoTime() - started) / 1e9, why,
                    figures.list());
        }
        results.add(result);
        double stackStart = shared == null ? 0 : shared.takeStartSeconds();
        if (stackStart > 0) {
            times.add(new RunBudget.Row(RunBudget.STACK, stackStart));
        }
        times.add(new RunBudget.Row(name, result.seconds() - stackStart));
        say("== %s: %s in %.0f s%s", name, result.passed() ? "done" : "failed", result.seconds(), stackStart > 0
                ? String.format(Locale.ROOT, " (%.0f s of it starting the four-service stack)", stackStart) : "");
        for (Figure figure : result.figures()) {
            say("   %-70s %s %s%s%s", figure.name(), Figure.Numbers.format(figure.value()), figure.unit(),
                    figure.ratio() == null ? "" : "  (" + Figure.Numbers.percent(figure.ratio()) + " of baseline)",
                    figure.met() == null ? "" : figure.met() ? "  target met" : "  target MISSED");
        }
        write(); // what is measured so far survives whatever comes next
    }

    private void writeChart(int devices) throws IOException {
        List<ProgressChart.Series> series = new ArrayList<>();
        List<ProgressChart.Marker> markers = List.of();
        if (progress != null) {
            Map<Integer, List<ProgressChart.Point>> perWave = new LinkedHashMap<>();
            for (FleetBenchmark.Sample sample : progress.samples()) {
                sample.succeededPerWave().forEach((wave, succeeded) -> perWave.computeIfAbsent(wave,
                        w -> new ArrayList<>()).add(new ProgressChart.Point(sample.seconds(), succeeded)));
            }
            perWave.forEach((wave, points) -> series.add(new ProgressChart.Series(String.format(Locale.ROOT,
                    "wave %d (%d %%)", wave, FleetBenchmark.WAVES.get(Math.min(wave, FleetBenchmark.WAVES.size()) - 1)),
                    points)));
            markers = progress.markers();
        }
        String title = String.format(Locale.ROOT, "Rollout progress: %,d simulated devices, waves %s %%", devices,
                FleetBenchmark.WAVES);
        String subtitle = progressMissing != null ? progressMissing : String.format(Locale.ROOT,
                "devices succeeded per wave (rollout-service's view, sampled every second); %s, %s", machine(),
                startedAt);
        Files.writeString(out.resolve("rollout-progress.svg"), ProgressChart.svg(title, subtitle,
                "seconds since POST /api/v1/rollouts", "devices succeeded", series, markers), StandardCharsets.UTF_8);
    }

    private ResultsReport report() {
        return new ResultsReport(quick ? "quick" : "full", startedAt, (System.nanoTime() - startedNanos) / 1e9,
                machineFacts(), results);
    }

    private void write() {
        report().writeTo(out);
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them ("unknown" elsewhere). */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, String> machineFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("?"));
        facts.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal").map(BenchSuite::gibibytes).orElse("?"));
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return facts;
    }

    private static String machine() {
        Map<String, String> facts = machineFacts();
        return facts.get("cores") + " cores (" + facts.get("cpu") + "), " + facts.get("memory") + ", " + facts.get("java");
    }

    /** {@code 24684096 kB} → {@code 23.5 GiB}. */
    static String gibibytes(String meminfoValue) {
        try {
            return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(meminfoValue.replace("kB", "").trim())
                    / 1048576.0);
        } catch (NumberFormatException e) {
            return meminfoValue;
        }
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private void say(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }

    /** A line the benchmarks print as it is (it may hold a '%'). */
    private void line(String text) {
        System.out.println(text);
        System.out.flush();
    }
}
