package io.updraft.bench;

import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The device-gateway's poll benchmark (see benchmarks/README.md): a provisioned fleet, "nothing new" polls with each
 * device's TargetToken, against a bare Quarkus endpoint in the same run on the same machine. Prints polls/s of both
 * and their ratio (wrk, closed loop), p50/p99 at a fixed rate (open loop), and the gateway's heap with the whole
 * fleet cached. Settings as system properties: bench.devices, bench.seconds, bench.rate, bench.connections,
 * bench.heap.
 */
public final class PollBenchmark {
    private final int devices;
    private final int seconds;
    private final int rate = Integer.getInteger("bench.rate", 10_000);
    private final int connections = Integer.getInteger("bench.connections", 64);
    private final String heap = System.getProperty("bench.heap", "1g");
    private final Path root = Path.of(System.getProperty("updraft.root", ".")).toAbsolutePath().normalize();
    /** {@code -Dbench.work-dir}: another directory lets a second run go on beside one in the default directory. */
    private final Path work = root.resolve(System.getProperty("bench.work-dir", "benchmarks/target/poll-benchmark"));
    private final List<String> report = new ArrayList<>();
    /**
     * The probe's JVM: a fixed heap whose young generation (1.8 GB of eden) holds everything the probe allocates in a
     * run (about 25 MB/s at 5,000 polls/s, so ~1.4 GB in 8 + 20 s at issue 21's 10,000/s), and the probe collects once
     * right before its schedule starts, so it does not collect while it measures (serial: no GC threads competing for
     * the two cores).
     */
    static final List<String> PROBE_JVM = List.of("-Xms2560m", "-Xmx2560m", "-Xmn2304m", "-XX:+UseSerialGC",
            "-XX:+AlwaysPreTouch");
    private final BenchmarkResult.Figures figures;

    PollBenchmark(int devices, int seconds, BenchmarkResult.Figures figures) {
        this.devices = devices;
        this.seconds = seconds;
        this.figures = figures;
    }

    public static void main(String[] args) throws Exception {
        new PollBenchmark(Integer.getInteger("bench.devices", 1_000_000), Integer.getInteger("bench.seconds", 20),
                new BenchmarkResult.Figures()).run();
        System.exit(0);
    }

    void run() throws Exception {
        Wrk.requireInstalled();
        Files.createDirectories(work);
        List<String> jvm = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC");
        say("poll benchmark: %,d devices, %d s per run, %d connections, fixed rate %,d/s, server heap %s, %d cores",
                devices, seconds, connections, rate, heap, Runtime.getRuntime().availableProcessors());
        deleteRecursively(work.resolve("stack")); // a fresh broker and database every run
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            DevKeys keys = DevKeys.in(work.resolve("keys"));
            Map<String, String> config = new LinkedHashMap<>();
            config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
            config.put("quarkus.datasource.jdbc.url", stack.jdbcUrl("gateway"));
            config.put("quarkus.datasource.username", DevStack.DB_USER);
            config.put("quarkus.datasource.password", DevStack.DB_PASSWORD);
            config.put("mp.jwt.verify.publickey.location", keys.publicKeyFile().toUri().toString());
            config.put("updraft.gateway.gateway-token", "bench-gateway-token");
            config.put("updraft.artifacts.url-signing-key", "bench-signing-key-0123456789");
            // -Dbench.gateway.<key>=<value> passes <key>=<value> to the gateway (experiments, e.g. heartbeat-sample)
            System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("bench.gateway."))
                    .forEach(key -> config.put(key.substring("bench.gateway.".length()), System.getProperty(key)));
            config.forEach((key, value) -> {
                if (key.startsWith("updraft.gateway.heartbeat") || key.startsWith("quarkus.http")) {
                    say("gateway setting: %s=%s", key, value);
                }
            });
            // a private copy: a rebuild of the gateway while this runs cannot swap its jars
            Path gatewayJar = AppSnapshot.of(root, work.resolve("apps"), List.of("device-gateway"))
                    .resolve("device-gateway/target/quarkus-app/quarkus-run.jar");
            int gatewayPort = Integer.getInteger("bench.gateway-port", 18_183);

            // the schema comes from the gateway's own Flyway migrations
            try (ServerUnderTest first = gateway(gatewayJar, gatewayPort, jvm, config, "gateway-provisioning")
                    .start()) {
                long started = System.nanoTime();
                long copied = FleetLoader.load(stack.jdbcUrl("gateway"), DevStack.DB_USER, DevStack.DB_PASSWORD,
                        devices);
                say("provisioned %,d devices (hashed TargetTokens) with COPY in %.1f s", copied, secondsSince(started));
            }
            try (ServerUnderTest gateway = gateway(gatewayJar, gatewayPort, jvm, config, "gateway")) {
                long started = System.nanoTime();
                gateway.start();
                double ready = secondsSince(started);
                while (cachedDevices(gateway) < devices) {
                    ServerUnderTest.pause(200);
                }
                say("gateway ready in %.1f s, all %,d devices cached after %.1f s", ready, devices,
                        secondsSince(started));
                double cachedHeap = heapAfterGc(gateway);
                figures.add(Figure.of(String.format(Locale.ROOT, "gateway heap after a full GC, %,d devices cached",
                        devices), cachedHeap, "MB").target(Figure.Target.atMost(1024)).note("-Xmx" + heap));

                try (ServerUnderTest bare = new ServerUnderTest("bare", root.resolve(
                        "benchmarks/target/quarkus-app/quarkus-run.jar"), gatewayPort + 1, withGcLog(jvm, "bare"),
                        Map.of(), work.resolve("bare.log")).start()) {
                    Wrk wrk = Wrk.forFleet(work, devices);
                    // each server under wrk's own load until its rate settles (WarmUp): the JIT done before measuring
                    long[] pids = { gateway.pid(), bare.pid(), stack.pid() };
                    warmUp(wrk, "gateway", gateway, 0, pids);
                    warmUp(wrk, "bare app", bare, 1, pids);

                    say("throughput run against the gateway starts at %s UTC", Instant.now());
                    Cpu gwCpu = Cpu.of(gateway.pid(), bare.pid(), stack.pid());
                    Wrk.Result gw = wrk.run(gateway.url(), 1, connections, seconds);
                    say("  CPU during it: %s", gwCpu.since());
                    double gwMicros = gwCpu.microsPerRequest(0, gw.requestsPerSecond());
                    say("throughput run against the bare app starts at %s UTC", Instant.now());
                    Cpu bareCpu = Cpu.of(gateway.pid(), bare.pid(), stack.pid());
                    Wrk.Result b = wrk.run(bare.url(), 1, connections, seconds);
                    say("  CPU during it: %s", bareCpu.since());
                    double bareMicros = bareCpu.microsPerRequest(1, b.requestsPerSecond());
                    Files.writeString(work.resolve("wrk-gateway.txt"), gw.output(), StandardCharsets.UTF_8);
                    Files.writeString(work.resolve("wrk-bare.txt"), b.output(), StandardCharsets.UTF_8);
                    say("throughput (wrk, 1 thread, %d connections, %d s, random device + its TargetToken per poll):",
                            connections, seconds);
                    say("  gateway  %,10.0f polls/s   (non-2xx: %d, socket errors: %s)", gw.requestsPerSecond(),
                            gw.non2xx(), gw.socketErrors());
                    say("  bare     %,10.0f polls/s   (non-2xx: %d, socket errors: %s)", b.requestsPerSecond(),
                            b.non2xx(), b.socketErrors());
                    say("  ratio    %10.1f %%  (target >= 75 %%)", 100 * gw.requestsPerSecond() / b.requestsPerSecond());
                    // on a machine shared with other work the ratio of rates says little (a process with more
                    // runnable threads gets more of the cores); CPU per poll of each process does not depend on that
                    say("  CPU per poll: gateway %.1f µs, bare app %.1f µs (process CPU / polls; ratio %.1f %%)",
                            gwMicros, bareMicros, 100 * bareMicros / gwMicros);
                    say("  load while measuring: %s", uptime());
                    figures.add(Figure.of("gateway nothing-new polls/s (wrk, random device + TargetToken)",
                            gw.requestsPerSecond(), "polls/s").against(b.requestsPerSecond(),
                                    "bare Quarkus endpoint, same JSON").target(Figure.Target.ratioAtLeast(75))
                            .note(String.format(Locale.ROOT, "wrk 1 thread, %d connections, %d s; non-2xx %d / %d",
                                    connections, seconds, gw.non2xx(), b.non2xx())));

                    // -Dbench.bare-first=true: is a stall the gateway's, or the first probe run's?
                    boolean bareFirst = Boolean.getBoolean("bench.bare-first");
                    FixedRateProbe.Result bareRate = bareFirst ? probe(bare, "bare app") : null;
                    FixedRateProbe.Result gwRate = probe(gateway, "gateway");
                    if (!bareFirst) {
                        bareRate = probe(bare, "bare app");
                    }
                    say("latency at a fixed %,d polls/s for %d s (open loop, from each poll's scheduled time):", rate,
                            seconds);
                    say("  gateway  %s", describe(gwRate));
                    gwRate.stalls().stream().limit(10).forEach(stall -> say("    gateway %s", stall));
                    say("  bare     %s", describe(bareRate));
                    bareRate.stalls().stream().limit(10).forEach(stall -> say("    bare %s", stall));
                    say("  gateway p99 target < 5 ms; %s", uptime());
                    String how = String.format(Locale.ROOT, "open loop at %,d polls/s for %d s, from each poll's "
                            + "scheduled time; %,d failed", rate, seconds, gwRate.failed());
                    // the bare endpoint's latency is a reference, not a baseline to take a ratio of
                    figures.add(Figure.of("gateway poll latency p50", gwRate.p50Millis(), "ms").note(how
                            + String.format(Locale.ROOT, "; bare endpoint p50 %.2f ms", bareRate.p50Millis())));
                    figures.add(Figure.of("gateway poll latency p99", gwRate.p99Millis(), "ms")
                            .target(Figure.Target.atMost(5)).note(how + String.format(Locale.ROOT,
                                    "; bare endpoint p99 %.2f ms", bareRate.p99Millis())));
                }
                figures.add(Figure.of("gateway heap after a full GC, after all runs", heapAfterGc(gateway), "MB")
                        .target(Figure.Target.atMost(1024)).note("includes the heartbeat sampler's entries"));
                say("devices in the gateway's poll cache: %,d", cachedDevices(gateway));
            }
        } finally {
            Files.write(work.resolve("report.txt"), report, StandardCharsets.UTF_8);
            System.out.println("report: " + work.resolve("report.txt"));
        }
    }

    /**
     * wrk against one server in {@link WarmUp#SLICE_SECONDS} s slices until its rate settles: each slice's rate and
     * the server's CPU per poll (its JIT compiler threads included, so it falls as the compilations finish).
     */
    private void warmUp(Wrk wrk, String name, ServerUnderTest server, int index, long[] pids) {
        int min = WarmUp.minSlices(seconds);
        List<WarmUp.Slice> slices = new java.util.ArrayList<>();
        List<String> said = new java.util.ArrayList<>();
        long started = System.nanoTime();
        do {
            Cpu cpu = Cpu.of(pids[0], pids[1], pids[2]);
            Wrk.Result slice = wrk.run(server.url(), 1, connections, WarmUp.SLICE_SECONDS);
            cpu.since();
            double micros = cpu.microsPerRequest(index, slice.requestsPerSecond());
            slices.add(new WarmUp.Slice(slice.requestsPerSecond(), micros));
            said.add(String.format(Locale.ROOT, "%,.0f/s %.0f µs", slice.requestsPerSecond(), micros));
        } while (WarmUp.another(slices, min));
        say("warm-up of the %s: %d s, %s (%d s slices: polls/s, its CPU per poll: %s)", name,
                Math.round(secondsSince(started)), WarmUp.settled(slices, min) ? String.format(Locale.ROOT,
                        "settled (last two slices within %.0f %% in rate and CPU per poll)", 100 * WarmUp.TOLERANCE)
                        : "NOT settled after " + WarmUp.MAX_SLICES + " slices", WarmUp.SLICE_SECONDS,
                String.join(", ", said));
    }

    /**
     * Where the machine's cores went during a run: the gateway's and the bare app's processes (all threads) and the
     * whole machine ({@code /proc/stat}); the rest is wrk, the broker, the database and this JVM.
     */
    private record Cpu(long[] pids, long[] nanos, long[] machine, long startedNanos, double[] cores) {
        static Cpu of(long gateway, long bare, long broker) {
            long[] pids = { gateway, bare, broker };
            long[] nanos = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                nanos[i] = cpuNanos(pids[i]);
            }
            return new Cpu(pids, nanos, machineJiffies(), System.nanoTime(), new double[pids.length]);
        }

        /** CPU of process {@code index} per request over the run, in µs, at the measured request rate. */
        double microsPerRequest(int index, double requestsPerSecond) {
            return cores[index] / requestsPerSecond * 1e6;
        }

        String since() {
            double wall = (System.nanoTime() - startedNanos) / 1e9;
            long[] now = machineJiffies();
            double busy = ((now[0] - machine[0]) - (now[1] - machine[1])) / 100.0; // USER_HZ is 100 on Linux
            for (int i = 0; i < pids.length; i++) {
                cores[i] = (cpuNanos(pids[i]) - nanos[i]) / 1e9 / wall;
            }
            return String.format(Locale.ROOT, "gateway %.2f cores, bare app %.2f, Kafka broker (dev-stack JVM) %.2f,"
                    + " whole machine %.2f of %d busy (the rest: wrk, PostgreSQL, benchmark JVM, anything else)",
                    cores[0], cores[1], cores[2], busy / wall, Runtime.getRuntime().availableProcessors());
        }

        private static long cpuNanos(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                    .map(java.time.Duration::toNanos).orElse(0L);
        }

        /** {total, idle + iowait} jiffies of all cores. */
        private static long[] machineJiffies() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < cpu.length; i++) {
                    total += Long.parseLong(cpu[i]);
                }
                return new long[] { total, Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]) };
            } catch (IOException | RuntimeException e) {
                return new long[] { 0, 0 };
            }
        }
    }

    /**
     * The fixed-rate run, in a JVM of its own with a fixed heap ({@link #PROBE_JVM}) unless
     * {@code -Dbench.probe-in-process=true}. In the benchmark's own JVM the probe shared a heap that G1 had shrunk to
     * 50–130 MB after a remark, so it collected every 1–3 s while measuring, and each of its pauses (up to 39 ms on a
     * loaded machine) counted as late polls of the server under test.
     */
    private FixedRateProbe.Result probe(ServerUnderTest server, String name) throws IOException,
            InterruptedException {
        say("fixed-rate run against the %s starts at %s UTC", name, Instant.now());
        Path slowPolls = work.resolve("slow-polls-" + server.name() + ".txt");
        FixedRateProbe.Result result;
        if (Boolean.getBoolean("bench.probe-in-process")) {
            result = FixedRateProbe.run("127.0.0.1", server.port(), devices, rate, seconds, slowPolls);
        } else {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(withGcLog(PROBE_JVM, "probe-" + server.name()));
            for (String key : List.of("bench.probe-warm-up", "bench.probe-preflight")) {
                if (System.getProperty(key) != null) {
                    command.add("-D" + key + "=" + System.getProperty(key));
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FixedRateProbe.class.getName(),
                    "127.0.0.1", Integer.toString(server.port()), Integer.toString(devices), Integer.toString(rate),
                    Integer.toString(seconds), slowPolls.toString()));
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            probe.waitFor();
            result = FixedRateProbe.Result.parse(output.lines().toList());
        }
        say("  every slow poll (> %.0f ms) with its due time: %s", FixedRateProbe.SLOW_MILLIS, slowPolls);
        return result;
    }

    /**
     * {@code -Dbench.gc-log=true}: every GC and safepoint of a server JVM, with UTC wall-clock time, in
     * {@code <work-dir>/<name>-gc.log}, to line up with the probe's slow polls ({@code slow-polls-*.txt}).
     */
    private List<String> withGcLog(List<String> jvm, String name) {
        if (!Boolean.getBoolean("bench.gc-log")) {
            return jvm;
        }
        List<String> flags = new ArrayList<>(jvm);
        flags.add("-Xlog:gc*,safepoint:file=" + work.resolve(name + "-gc.log") + ":utctime,uptime,level,tags");
        return flags;
    }

    private ServerUnderTest gateway(Path jar, int port, List<String> jvm, Map<String, String> config, String log) {
        List<String> flags = new ArrayList<>(withGcLog(jvm, log)); // withGcLog may hand back the caller's list
        String extra = System.getProperty("bench.gateway-jvm-flags", "").trim(); // e.g. a flight recording
        if (!extra.isEmpty()) {
            flags.addAll(List.of(extra.split("\\s+")));
        }
        return new ServerUnderTest("device-gateway", jar, port, flags, config, work.resolve("gateway.log"));
    }

    private static String describe(FixedRateProbe.Result r) {
        return String.format(Locale.ROOT, "p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.1f ms  (%,d sent, %,d ok,"
                + " %,d failed, %.0f/s achieved; probe at most %.1f ms late; %d connections, %d opened while"
                + " measured; %d stall(s) > %.0f ms)", r.p50Millis(), r.p99Millis(), r.p999Millis(), r.maxMillis(),
                r.sent(), r.ok(), r.failed(), r.achievedRate(), r.maxLateMillis(), r.connectionsOpened(),
                r.connectionsOpenedMeasured(), r.stalls().size(), FixedRateProbe.SLOW_MILLIS);
    }

    /** The machine's load averages ({@code /proc/loadavg}), to print beside every figure. */
    static String uptime() {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + load[0] + ", " + load[1] + ", " + load[2];
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
    }

    private static long cachedDevices(ServerUnderTest gateway) {
        return (long) metric(gateway, "updraft_gateway_poll_cache_devices");
    }

    /** Heap in use right after a full collection, in MB: what the cached fleet really occupies. */
    private double heapAfterGc(ServerUnderTest server) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder("jcmd", Long.toString(server.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        double used = metric(server, "jvm_memory_used_bytes{area=\"heap\"");
        double max = metric(server, "jvm_memory_max_bytes{area=\"heap\"");
        say("gateway heap after a full GC: %.0f MB used of %.0f MB max (target <= 1024 MB)", used / 1048576.0,
                max / 1048576.0);
        return used / 1048576.0;
    }

    /** Sum of every series of a Prometheus metric whose line starts with {@code prefix}. */
    private static double metric(ServerUnderTest server, String prefix) {
        double sum = 0;
        for (String line : server.get("/q/metrics").split("\n")) {
            if (line.startsWith(prefix) && (line.charAt(prefix.length()) == ' ' || line.charAt(prefix.length()) == '{'
                    || line.charAt(prefix.length()) == ',')) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        report.add(line);
        System.out.println(line);
    }
}
