package io.updraft.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop latency at a fixed rate (what wrk2 would do): requests leave on a fixed schedule whatever the answers do,
 * and each latency counts from the moment its request was due, so a stalled server cannot hide its queue
 * (no coordinated omission). One Vert.x event loop, non-blocking, so the client needs little of the shared CPU.
 *
 * <p>Every poll's life is timed in phases, so a slow poll tells where it waited: <b>late</b> (due → the probe sent
 * it: the probe's own timer or thread was held up), <b>connection</b> (→ a pooled connection was free or a new one
 * connected), <b>server</b> (request written → response headers), <b>body</b> (→ last byte). Slow polls (over
 * {@link #SLOW_MILLIS}) are grouped into stall episodes with their wall-clock time (UTC, to line up with a JFR
 * recording or a server log) and the phase that dominated.
 */
final class FixedRateProbe {
    static final double SLOW_MILLIS = 20;
    /**
     * {@code -Dbench.probe-warm-up}: seconds at the full rate before the measured ones, not counted. 8: in a JVM of its
     * own every probe run starts cold, and 2 s were not enough on a loaded machine — the measured window of both
     * servers began with a backlog of 0.8–7 s of polls waiting for connections (device-gateway/README.md).
     */
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.probe-warm-up", 8);
    /** Closed-loop polls before the schedule starts (connections opened, classes loaded, send path compiled). */
    static final int PREFLIGHT_POLLS = Integer.getInteger("bench.probe-preflight", 5_000);
    private static final int PREFLIGHT_CONCURRENCY = 32;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    record Result(int sent, int ok, int failed, double p50Millis, double p99Millis, double p999Millis,
            double maxMillis, double achievedRate, double maxLateMillis, int connectionsOpened,
            int connectionsOpenedMeasured, List<String> stalls) {
        private static final String RESULT = "probe-result ";
        private static final String STALL = "probe-stall ";

        /** As lines on the probe JVM's standard output, for {@link #parse}. */
        List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add(RESULT + sent + " " + ok + " " + failed + " " + p50Millis + " " + p99Millis + " " + p999Millis
                    + " " + maxMillis + " " + achievedRate + " " + maxLateMillis + " " + connectionsOpened + " "
                    + connectionsOpenedMeasured);
            stalls.forEach(stall -> lines.add(STALL + stall));
            return lines;
        }

        /** The result among the probe JVM's output lines (anything else, e.g. its log, is ignored). */
        static Result parse(List<String> output) {
            List<String> stalls = output.stream().filter(line -> line.startsWith(STALL))
                    .map(line -> line.substring(STALL.length())).toList();
            String[] f = output.stream().filter(line -> line.startsWith(RESULT)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no result from the probe JVM:\n"
                            + String.join("\n", output)))
                    .substring(RESULT.length()).split(" ");
            return new Result(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    Integer.parseInt(f[9]), Integer.parseInt(f[10]), stalls);
        }
    }

    /**
     * The probe in a JVM of its own ({@link PollBenchmark} starts it with a fixed heap): {@code host port devices
     * rate seconds slow-polls-file}; prints the result as {@link Result#lines()}.
     */
    public static void main(String[] args) throws InterruptedException {
        Result result = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Path.of(args[5]));
        result.lines().forEach(System.out::println);
        System.out.flush();
        System.exit(0);
    }

    /** Timestamps (System.nanoTime) of each poll's phases, indexed by poll; 0 = not reached. */
    private static final class Timings {
        final long[] sent;
        final long[] connected;
        final long[] headers;
        final long[] end;
        final int[] connection;
        final boolean[] newConnection;
        final Map<HttpConnection, Integer> connections = new IdentityHashMap<>();

        Timings(int total) {
            sent = new long[total];
            connected = new long[total];
            headers = new long[total];
            end = new long[total];
            connection = new int[total];
            newConnection = new boolean[total];
        }
    }

    /** @param slowPolls where every measured poll slower than {@link #SLOW_MILLIS} is listed with its due time */
    static Result run(String host, int port, int devices, int ratePerSecond, int seconds, Path slowPolls)
            throws InterruptedException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true)
                            .setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(-1));
            // The probe's own cold start (Vert.x and Netty classes loaded, connections opened, its send path
            // compiled) once took about a second on a busy machine, while the open-loop schedule ran on: every poll
            // due then waited for a connection and the backlog spilled into the measured window (the "one stall per
            // run" of the first probe run, see device-gateway/README.md). So: a closed-loop preflight first, then
            // warm-up seconds at the full rate, neither counted.
            preflight(client, devices, PREFLIGHT_POLLS, PREFLIGHT_CONCURRENCY);
            int warmUp = ratePerSecond * WARM_UP_SECONDS;
            int total = ratePerSecond * seconds + warmUp;
            Timings timings = new Timings(total);
            // an empty young generation before the schedule starts: in its own JVM (PollBenchmark.PROBE_JVM) the
            // probe then does not collect while it measures
            System.gc();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(total);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long wallAtStart = System.currentTimeMillis() + 100;
            double intervalNanos = 1e9 / ratePerSecond;
            int[] next = { 0 };
            vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                while (next[0] < total && start + (long) (next[0] * intervalNanos) <= now) {
                    int index = next[0]++;
                    send(client, devices, index, timings, ok, failed, done);
                }
                if (next[0] == total) {
                    vertx.cancelTimer(timer);
                }
            });
            if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fixed-rate probe did not finish: " + done.getCount() + " open");
            }
            long elapsed = System.nanoTime() - start;
            double[] latency = new double[total];
            double maxLate = 0;
            int openedMeasured = 0;
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * intervalNanos);
                latency[i] = (timings.end[i] - due) / 1e6;
                if (i >= warmUp) {
                    maxLate = Math.max(maxLate, (timings.sent[i] - due) / 1e6);
                    openedMeasured += timings.newConnection[i] ? 1 : 0;
                }
            }
            Percentiles millis = Percentiles.of(Arrays.copyOfRange(latency, warmUp, total));
            List<String> stalls = stalls(timings, latency, warmUp, start, wallAtStart, intervalNanos);
            writeSlowPolls(slowPolls, timings, latency, warmUp, start, wallAtStart, intervalNanos);
            return new Result(total, ok.get(), failed.get(), millis.at(50), millis.at(99), millis.at(99.9),
                    millis.max(), total / (elapsed / 1e9), maxLate, timings.connections.size(), openedMeasured,
                    stalls);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** {@code polls} polls, {@code concurrency} at a time, each sent when one is answered; nothing measured. */
    private static void preflight(HttpClient client, int devices, int polls, int concurrency)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(polls);
        AtomicInteger next = new AtomicInteger();
        for (int i = 0; i < concurrency; i++) {
            chain(client, devices, polls, next, done);
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("probe preflight did not finish: " + done.getCount() + " open");
        }
    }

    private static void chain(HttpClient client, int devices, int polls, AtomicInteger next, CountDownLatch done) {
        if (next.getAndIncrement() >= polls) {
            return;
        }
        String n = deviceNumber(ThreadLocalRandom.current().nextInt(devices));
        client.request(HttpMethod.GET, "/DEFAULT/controller/v1/bench-" + n)
                .compose(request -> request.putHeader("Authorization", "TargetToken bench-token-" + n)
                        .putHeader("Accept", "application/json").send())
                .compose(response -> response.body())
                .onComplete(result -> {
                    done.countDown();
                    chain(client, devices, polls, next, done);
                });
    }

    /** {@code %07d} by hand: String.format on the send path cost the cold probe a long compilation. */
    static String deviceNumber(int i) {
        char[] digits = new char[7];
        for (int at = 6, rest = i; at >= 0; at--, rest /= 10) {
            digits[at] = (char) ('0' + rest % 10);
        }
        return new String(digits);
    }

    private static void send(HttpClient client, int devices, int index, Timings timings, AtomicInteger ok,
            AtomicInteger failed, CountDownLatch done) {
        timings.sent[index] = System.nanoTime();
        String n = deviceNumber(ThreadLocalRandom.current().nextInt(devices));
        client.request(HttpMethod.GET, "/DEFAULT/controller/v1/bench-" + n)
                .compose(request -> {
                    timings.connected[index] = System.nanoTime();
                    // every callback runs on the probe's one event loop: the map needs no lock
                    Integer id = timings.connections.get(request.connection());
                    if (id == null) {
                        id = timings.connections.size();
                        timings.connections.put(request.connection(), id);
                        timings.newConnection[index] = true;
                    }
                    timings.connection[index] = id;
                    return request.putHeader("Authorization", "TargetToken bench-token-" + n)
                            .putHeader("Accept", "application/json").send();
                })
                .compose(response -> {
                    timings.headers[index] = System.nanoTime();
                    return response.body().map(body -> response.statusCode());
                })
                .onComplete(result -> {
                    timings.end[index] = System.nanoTime();
                    if (result.succeeded() && result.result() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
    }

    /**
     * One line per slow poll: its due time (UTC, microseconds), latency and phases, to line up with a server's GC and
     * safepoint log ({@code -Dbench.gc-log=true}).
     */
    private static void writeSlowPolls(Path file, Timings t, double[] latency, int from, long start, long wallAtStart,
            double intervalNanos) {
        List<String> lines = new ArrayList<>();
        lines.add("# due (UTC)      latency ms   late  connection  server  body  connection-id  (slow: > " + SLOW_MILLIS
                + " ms)");
        for (int i = from; i < latency.length; i++) {
            if (latency[i] <= SLOW_MILLIS) {
                continue;
            }
            long due = start + (long) (i * intervalNanos);
            long dueMicros = wallAtStart * 1000 + (due - start) / 1000;
            lines.add(String.format(Locale.ROOT, "%s%03d %8.1f %6.1f %6.1f %6.1f %6.1f %4d",
                    CLOCK.format(Instant.ofEpochMilli(dueMicros / 1000)), dueMicros % 1000, latency[i],
                    (t.sent[i] - due) / 1e6, (t.connected[i] - t.sent[i]) / 1e6, (t.headers[i] - t.connected[i]) / 1e6,
                    (t.end[i] - t.headers[i]) / 1e6, t.connection[i]));
        }
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Slow polls grouped into episodes (due times less than 100 ms apart), each with where its polls waited: the
     * probe itself (late), the pool (connection), the server, or the body.
     */
    private static List<String> stalls(Timings t, double[] latency, int from, long start, long wallAtStart,
            double intervalNanos) {
        List<String> episodes = new ArrayList<>();
        int i = from;
        while (i < latency.length) {
            if (latency[i] <= SLOW_MILLIS) {
                i++;
                continue;
            }
            int first = i;
            int last = i;
            int slow = 0;
            double worst = 0;
            double late = 0;
            double connection = 0;
            double server = 0;
            double body = 0;
            int opened = 0;
            java.util.Set<Integer> connections = new java.util.HashSet<>();
            int gapLimit = (int) Math.ceil(100e6 / intervalNanos);
            for (int j = i; j < latency.length && j - last <= gapLimit; j++) {
                if (latency[j] <= SLOW_MILLIS) {
                    continue;
                }
                last = j;
                slow++;
                worst = Math.max(worst, latency[j]);
                late = Math.max(late, (t.sent[j] - (start + (long) (j * intervalNanos))) / 1e6);
                connection = Math.max(connection, (t.connected[j] - t.sent[j]) / 1e6);
                server = Math.max(server, (t.headers[j] - t.connected[j]) / 1e6);
                body = Math.max(body, (t.end[j] - t.headers[j]) / 1e6);
                opened += t.newConnection[j] ? 1 : 0;
                connections.add(t.connection[j]);
            }
            long dueFirst = start + (long) (first * intervalNanos);
            long dueLast = start + (long) (last * intervalNanos);
            String when = CLOCK.format(Instant.ofEpochMilli(wallAtStart + (dueFirst - start) / 1_000_000));
            // the first slow poll's phases: where the stall began
            episodes.add(String.format(Locale.ROOT, "stall at %s UTC (+%.3f s): %,d slow polls due over %.0f ms, worst"
                    + " %.0f ms; max per phase: late %.0f ms, connection %.0f ms, server %.0f ms, body %.0f ms;"
                    + " %d on new connections, %d connections; first slow poll: late %.1f, connection %.1f,"
                    + " server %.1f, body %.1f ms", when, (dueFirst - start) / 1e9, slow, (dueLast - dueFirst) / 1e6,
                    worst, late, connection, server, body, opened, connections.size(),
                    (t.sent[first] - dueFirst) / 1e6, (t.connected[first] - t.sent[first]) / 1e6,
                    (t.headers[first] - t.connected[first]) / 1e6, (t.end[first] - t.headers[first]) / 1e6));
            i = last + 1;
        }
        return episodes;
    }
}
