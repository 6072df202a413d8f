package io.updraft.fleet;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A simulated fleet: every device polls on its own schedule until the fleet is closed. */
public final class Fleet implements AutoCloseable {
    private final FleetScenario scenario;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpThreads;
    private final BoundedHttp http;
    private final FleetStats stats = new FleetStats();
    /** installed version → its image, for delta clients; shared by every device on that version */
    private final Map<String, SourceImage> images = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile long startedNanos;
    private volatile String lastError;

    /** Simulated devices talking to the gateway at once, by default (see {@link BoundedHttp}). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1_000;

    public Fleet(FleetScenario scenario) {
        this(scenario, DEFAULT_MAX_IN_FLIGHT);
    }

    /** @param maxInFlight HTTP exchanges at once over the whole fleet (each one connection) */
    public Fleet(FleetScenario scenario, int maxInFlight) {
        if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2 && scenario.hardware().stream()
                .mapToInt(FleetScenario.HardwareMix::count).sum() > 1_000) {
            // the JDK's HTTP client completes responses on CompletableFuture's default executor, which starts a new
            // thread per response when the common pool has a single worker (2 cores): a large fleet then crawls
            System.err.println("fleet: the common pool has one worker; for a large fleet run the JVM with"
                    + " -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 (./updraft does)");
        }
        this.scenario = scenario;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fleet-scheduler"));
        this.httpThreads = Executors.newFixedThreadPool(4, r -> daemon(r, "fleet-http"));
        this.http = new BoundedHttp(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(httpThreads).connectTimeout(Duration.ofSeconds(10)).build(), maxInFlight);
        scenario.images().forEach((version, file) -> images.put(version, SourceImage.of(java.nio.file.Path.of(file))));
        for (FleetScenario.HardwareMix mix : scenario.hardware()) {
            for (int n = 0; n < mix.count(); n++) {
                String id = String.format(Locale.ROOT, "%s-%s-%03d", scenario.idPrefix(), mix.model(), n);
                devices.add(new SimulatedDevice(id, mix.model(), mix.revision(), n, scenario, http, stats, images));
            }
        }
    }

    /** Starts every device, their first polls spread over one second. */
    public Fleet start() {
        running = true;
        startedNanos = System.nanoTime();
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice device = devices.get(i);
            scheduler.schedule(() -> cycle(device), (1000L * i) / Math.max(1, devices.size()), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void cycle(SimulatedDevice device) {
        if (!running || device.dead()) {
            return;
        }
        if (device.offline(sinceStart())) {
            // an offline device does not poll; it looks again as often as it would poll
            scheduler.schedule(() -> cycle(device), scenario.maxPollInterval().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        device.pollOnce().whenComplete((sleep, error) -> {
            Duration next = scenario.maxPollInterval();
            if (error != null) {
                stats.pollErrors.incrementAndGet();
                lastError = device.id + ": " + error.getMessage();
            } else if (sleep.compareTo(next) < 0) {
                next = sleep;
            }
            if (running) {
                scheduler.schedule(() -> cycle(device), Math.max(50, next.toMillis()), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Gives delta clients running {@code version} that image (in addition to the scenario's {@code images}); call
     * before {@link #start()}. It is chunked once, on the first delta download from it.
     */
    public Fleet sourceImage(String version, SourceImage image) {
        images.put(version, image);
        return this;
    }

    /** Device id → artifact body bytes it received (full downloads, delta headers, chunks, multipart framing). */
    public Map<String, Long> bytesDownloadedByDevice() {
        Map<String, Long> bytes = new TreeMap<>();
        devices.forEach(device -> bytes.put(device.id, device.bytesDownloaded()));
        return bytes;
    }

    /** Ids of the devices that are delta clients (attribute {@code update.delta=zchunk}). */
    public List<String> deltaClients() {
        return devices.stream().filter(SimulatedDevice::deltaClient).map(d -> d.id).toList();
    }

    /**
     * The install result {@code actionId} of device {@code deviceId} sent (when, and when the gateway answered it), if
     * that device of this fleet sent one: where a report's way to Kafka starts.
     */
    public java.util.Optional<FinalReport> finalReport(String deviceId, long actionId) {
        return devices.stream().filter(d -> d.id.equals(deviceId)).findFirst().stream()
                .flatMap(d -> d.finalReports().stream()).filter(r -> r.actionId() == actionId).findFirst();
    }

    public List<String> deviceIds() {
        return devices.stream().map(d -> d.id).toList();
    }

    public List<DeviceLog> logs() {
        return devices.stream().map(SimulatedDevice::log).toList();
    }

    /** model → installed version → device count. */
    public Map<String, Map<String, Long>> versionsByModel() {
        Map<String, Map<String, Long>> table = new TreeMap<>();
        for (SimulatedDevice device : devices) {
            table.computeIfAbsent(device.model, m -> new TreeMap<>())
                    .merge(String.valueOf(device.installedVersion()), 1L, Long::sum);
        }
        return table;
    }

    public long polls() {
        return stats.polls();
    }

    public long pollErrors() {
        return stats.pollErrors();
    }

    public FleetStats stats() {
        return stats;
    }

    public Duration sinceStart() {
        return startedNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** One line for a live progress display. */
    public String summary() {
        long seconds = Math.max(1, sinceStart().toSeconds());
        Duration now = sinceStart();
        long offline = devices.stream().filter(d -> d.offline(now)).count();
        long dead = devices.stream().filter(SimulatedDevice::dead).count();
        return String.format(Locale.ROOT,
                "t=%ds devices=%d offline=%d dead=%d polls=%d (%d/s) installs: started=%d ok=%d failed=%d"
                        + " resumed-downloads=%d cancels=%d health=%d errors=%d",
                seconds, devices.size(), offline, dead, stats.polls(), stats.polls() / seconds,
                stats.installsStarted(), stats.installsSucceeded(), stats.installsFailed(),
                stats.downloadsResumed(), stats.cancelsAcknowledged(), stats.healthReports(), stats.pollErrors())
                + (scenario.deltaShare() > 0 ? String.format(Locale.ROOT, " delta: installs=%d bytes=%d (full %d)",
                        stats.deltaInstalls(), stats.deltaBytesDownloaded(), stats.deltaFullBytes()) : "");
    }

    public String lastError() {
        return lastError;
    }

    /** Devices that installed one action more than once: must stay empty. */
    public List<String> repeatedInstalls() {
        return logs().stream()
                .flatMap(log -> log.installsPerAction().entrySet().stream().filter(e -> e.getValue() > 1)
                        .map(e -> log.deviceId() + " installed action " + e.getKey() + " " + e.getValue() + " times"))
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdownNow();
        httpThreads.shutdownNow();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
