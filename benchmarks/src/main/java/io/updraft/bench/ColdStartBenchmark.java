package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.bench.Figure.Target;
import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.events.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Issue 21's cold start: the first rollout after rollout-service started — 10,000 devices in 4 waves, POST until all
 * of wave 1 is on {@code device-commands} (< 500 ms) — with where the time goes. One broker and database; the
 * packaged service is started three times: once to take the release into its catalog, then with its warm-up at
 * readiness switched off ({@code updraft.rollout.warm-up.enabled=false}: the service as it was; full run only) and then
 * as it ships;
 * each start gets a cold rollout (its first request) and then a warm one over another 10,000 devices. Per rollout the
 * phases from the POST: the rollout row's {@code created_at}, POST answered, wave 1's first and last action row
 * ({@code device_action.created_at}), first and last command read back from the topic; and what the service spent on
 * it: CPU ({@code /proc}) and classes loaded ({@code jvm_classes_loaded_classes}). {@code -Dbench.coldstart.jvm="a b"}
 * adds JVM flags to the service (e.g. {@code -XX:StartFlightRecording=filename=cold.jfr}).
 */
final class ColdStartBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long TICKS = 100; // USER_HZ of /proc/<pid>/stat

    private final Path root;
    private final Path work;
    private final int devices;
    private final boolean withoutWarmUp;
    private final Consumer<String> say;

    /**
     * @param withoutWarmUp also start the service with its warm-up switched off (the full run); without it (--quick)
     *        only the service as it ships is started: its first (cold) and second (warm) rollout
     */
    ColdStartBenchmark(Path root, Path work, int devices, boolean withoutWarmUp, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.devices = devices;
        this.withoutWarmUp = withoutWarmUp;
        this.say = say;
    }

    void run(Figures figures) throws Exception {
        AppSnapshot.deleteRecursively(work.resolve("stack"));
        Path apps = AppSnapshot.of(root, work.resolve("apps"), List.of("rollout-service"));
        Path jar = apps.resolve("rollout-service/target/quarkus-app/quarkus-run.jar");
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            String bootstrap = stack.kafkaBootstrap();
            String jdbc = stack.jdbcUrl("rollout");
            DevKeys keys = DevKeys.in(work.resolve("keys"));
            Map<String, String> config = RolloutFanoutBenchmark.serviceConfig(stack, "rollout", keys);
            System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("bench.rollout."))
                    .forEach(key -> config.put(key.substring("bench.rollout.".length()), System.getProperty(key)));
            List<String> flags = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseG1GC"));
            String extra = System.getProperty("bench.coldstart.jvm", "");
            if (!extra.isBlank()) {
                flags.addAll(Arrays.asList(extra.trim().split("\\s+")));
            }
            ReleasePublished release;
            try (ServerUnderTest service = new ServerUnderTest("rollout-service", jar, DevStack.freePort(), flags,
                    config, work.resolve("rollout-service-0.log")).start()) {
                release = RolloutFanoutBenchmark.publishRelease(bootstrap, jdbc);
            }
            for (String fleet : withoutWarmUp ? List.of("off-cold", "off-warm", "on-cold", "on-warm")
                    : List.of("on-cold", "on-warm")) {
                InventoryLoader.load(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD, fleet, "cold-" + fleet, devices);
            }
            String token = keys.tokens().admin();
            try (CommandCounter counter = new CommandCounter(bootstrap, Topics.DEVICE_COMMANDS)) {
                // -Dbench.coldstart.warm-up-first=true: the service with its warm-up first (tells an order effect)
                boolean onFirst = Boolean.getBoolean("bench.coldstart.warm-up-first");
                boolean[] starts = !withoutWarmUp ? new boolean[] {true}
                        : onFirst ? new boolean[] {true, false} : new boolean[] {false, true};
                for (boolean warmUp : starts) {
                    Map<String, String> run = new java.util.LinkedHashMap<>(config);
                    // a service without the warm-up refuses its switch: -Dbench.coldstart.old-service=true
                    if (!warmUp && !Boolean.getBoolean("bench.coldstart.old-service")) {
                        run.put("updraft.rollout.warm-up.enabled", "false");
                    }
                    String label = warmUp ? "on" : "off";
                    long starting = System.nanoTime();
                    try (ServerUnderTest service = new ServerUnderTest("rollout-service", jar, DevStack.freePort(),
                            flags, run, work.resolve("rollout-service-warm-up-" + label + ".log")).start()) {
                        double ready = (System.nanoTime() - starting) / 1e6;
                        say.accept(String.format("rollout-service (warm-up %s): ready %.0f ms after its start, load %s",
                                label, ready, load()));
                        figures.add(Figure.of(String.format("rollout-service start until ready (warm-up %s)", label),
                                ready, "ms").note("process start until /q/health/ready answers 200"));
                        rollout(service, token, release, counter, jdbc, figures, label, true);
                        rollout(service, token, release, counter, jdbc, figures, label, false);
                    }
                }
            }
        }
    }

    private void rollout(ServerUnderTest service, String token, ReleasePublished release, CommandCounter counter,
            String jdbc, Figures figures, String warmUp, boolean cold) throws Exception {
        String fleet = "cold-" + warmUp + (cold ? "-cold" : "-warm");
        String what = String.format("%,d devices, 4 waves, %s rollout after a start, warm-up %s", devices,
                cold ? "first" : "second", warmUp);
        OptionalDouble classesBefore = classesLoaded(service);
        long cpuBefore = cpuTicks(service.pid());
        Instant wall = Instant.now();
        long posted = System.nanoTime();
        JsonNode view = RolloutFanoutBenchmark.createRollout(service, token, release, fleet, List.of(10, 25, 50, 100));
        double answered = (System.nanoTime() - posted) / 1e6;
        String id = view.path("id").asText();
        long firstWave = view.path("waves").path(0).path("devices").asLong();
        CommandCounter.Tally tally = counter.await(id, firstWave, Duration.ofSeconds(60));
        if (tally.commands.get() < firstWave) {
            figures.add(Figure.missing(what + ": POST until all of wave 1 on the topic", "ms",
                    String.format("only %,d of %,d commands after 60 s", tally.commands.get(), firstWave)));
            return;
        }
        double last = (tally.lastNanos - posted) / 1e6;
        double first = (tally.firstNanos - posted) / 1e6;
        double cpu = (cpuTicks(service.pid()) - cpuBefore) * 1000.0 / TICKS;
        OptionalDouble classesAfter = classesLoaded(service);
        String classes = classesBefore.isPresent() && classesAfter.isPresent()
                ? String.format("%,.0f", classesAfter.getAsDouble() - classesBefore.getAsDouble()) : "?";
        double[] rows = dbPhases(jdbc, id, wall);
        String phases = String.format("rollout row %.0f ms, POST answered %.0f ms, first action row %.0f ms, last "
                + "action row %.0f ms, first command on the topic %.0f ms, last %.0f ms; service CPU %.0f ms, "
                + "classes loaded %s", rows[0], answered, rows[1], rows[2], first, last, cpu, classes);
        Figure figure = Figure.of(what + ": POST until all of wave 1 (" + firstWave + " commands) on the topic", last,
                "ms").note(phases);
        figures.add(cold && warmUp.equals("on") ? figure.target(Target.atMost(500)) : figure);
        say.accept(String.format("%s: wave 1 (%,d commands) on the topic %.0f ms after the POST — %s (load %s)",
                what, firstWave, last, phases, load()));
    }

    /** Rollout row, first and last wave-1 action row: ms after {@code wall} (the POST), by the database's clock. */
    private static double[] dbPhases(String jdbc, String rolloutId, Instant wall) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbc, DevStack.DB_USER, DevStack.DB_PASSWORD);
                PreparedStatement query = connection.prepareStatement("select r.created_at, min(a.created_at),"
                        + " max(a.created_at) from rollout r left join device_action a on a.rollout_id = r.id"
                        + " and a.wave = 1 where r.id = ? group by r.created_at")) {
            query.setString(1, rolloutId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new double[] {millisAfter(wall, rows.getTimestamp(1)), millisAfter(wall, rows.getTimestamp(2)),
                        millisAfter(wall, rows.getTimestamp(3))};
            }
        }
    }

    private static double millisAfter(Instant wall, Timestamp at) {
        return at == null ? Double.NaN : Duration.between(wall, at.toInstant()).toNanos() / 1e6;
    }

    private static OptionalDouble classesLoaded(ServerUnderTest service) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return ProcessMetrics.sum(text, "jvm_classes_loaded_classes", Map.of());
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    /** utime + stime of the process, in clock ticks. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
