package io.updraft.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples, while a benchmark runs, each server's heap in use ({@code jvm_memory_used_bytes{area="heap"}} from its
 * {@code /q/metrics}) and keeps the maximum; at the end reads its peak resident set ({@code VmHWM}).
 */
final class MemoryWatch implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Server(String name, long pid, String baseUrl) {
    }

    record Peak(String name, Double heapBytes, Double residentBytes, int samples) {
    }

    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final Map<String, Double> maxHeap = new ConcurrentHashMap<>();
    private final Map<String, Double> maxResident = new ConcurrentHashMap<>();
    private final Map<String, Integer> samples = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    MemoryWatch(Iterable<Server> watched, Duration every) {
        watched.forEach(s -> servers.put(s.name(), s));
        sampler = new Thread(() -> {
            while (running) {
                servers.values().forEach(this::sample);
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample(Server server) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            OptionalDouble heap = ProcessMetrics.sum(text, "jvm_memory_used_bytes", Map.of("area", "heap"));
            if (heap.isPresent()) {
                maxHeap.merge(server.name(), heap.getAsDouble(), Math::max);
                samples.merge(server.name(), 1, Integer::sum);
            }
        } catch (Exception busyOrGone) {
            // a busy server may miss a sample; the peak is over the samples taken
        }
        ProcessMetrics.procStatusBytes(server.pid(), "VmHWM")
                .ifPresent(rss -> maxResident.merge(server.name(), rss, Math::max));
    }

    /** Stops sampling; one last sample of each server first. */
    Map<String, Peak> peaks() {
        running = false;
        sampler.interrupt();
        servers.values().forEach(this::sample);
        Map<String, Peak> peaks = new LinkedHashMap<>();
        servers.keySet().forEach(name -> peaks.put(name, new Peak(name, maxHeap.get(name), maxResident.get(name),
                samples.getOrDefault(name, 0))));
        return peaks;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
