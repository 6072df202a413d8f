package io.updraft.gateway.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.domain.PollView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Where polls the cache cannot answer go: first contacts (registered) and views not in memory (loaded), coalesced
 * by {@link FirstContactQueue} into one transaction per batch ({@link DeviceRegistry#registerAndLoad}) on one
 * connection, so a registration storm can neither exhaust the JDBC pool nor turn into errors. The views read are
 * put into the cache with the same eviction-safe protocol as a single load.
 */
@ApplicationScoped
public class FirstContact {
    private static final Logger LOG = Logger.getLogger(FirstContact.class);
    /** A batch that fails (e.g. a deadlock with another replica's batch) is tried again this often. */
    private static final int ATTEMPTS = 3;

    @Inject
    GatewayConfig config;
    @Inject
    DeviceRegistry registry;
    @Inject
    DeviceViewCache cache;
    @Inject
    MeterRegistry metrics;

    private volatile FirstContactQueue queue;
    private Counter refused;

    void start(@Observes StartupEvent startup) {
        refused = Counter.builder("updraft.gateway.first.contact.refused")
                .description("polls answered 503 because first contacts queued beyond capacity or waited too long")
                .register(metrics);
        queue = new FirstContactQueue("first-contact", config.firstContact().queueCapacity(),
                config.firstContact().batchSize(), this::registerAndLoad);
        Gauge.builder("updraft.gateway.first.contact.waiting", queue, FirstContactQueue::waiting)
                .description("polls waiting for the first-contact writer").register(metrics);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (queue != null) {
            queue.close();
        }
    }

    /** The device's view after registering it if this is its first contact. */
    public CompletableFuture<PollView> register(String tenant, String controllerId) {
        return submit(new FirstContactQueue.Visit(tenant, controllerId, true));
    }

    /** The device's view (UNKNOWN for an unknown id), registering nothing. */
    public CompletableFuture<PollView> load(String tenant, String controllerId) {
        return submit(new FirstContactQueue.Visit(tenant, controllerId, false));
    }

    /** Counts a poll turned away (503) because of the queue, for {@code /q/metrics}. */
    public void refused() {
        if (refused != null) {
            refused.increment();
        }
    }

    private CompletableFuture<PollView> submit(FirstContactQueue.Visit visit) {
        FirstContactQueue current = queue;
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not started"));
        }
        return current.submit(visit);
    }

    private Map<String, PollView> registerAndLoad(List<FirstContactQueue.Visit> visits) {
        // slots first: a change notified while the batch runs makes its view too old to cache
        Map<String, DeviceViewCache.Claim> claims = new HashMap<>();
        visits.forEach(v -> claims.put(v.key(), cache.claim(v.key())));
        for (int attempt = 1;; attempt++) {
            try {
                long started = System.nanoTime();
                Map<String, PollView> views = registry.registerAndLoad(visits);
                LOG.debugf("first-contact batch: %d devices in %d ms", visits.size(),
                        (System.nanoTime() - started) / 1_000_000);
                views.forEach((id, view) -> cache.fill(claims.get(id), view));
                // ids without a row stay uncached: made-up ids must not grow the heap
                claims.forEach((id, claim) -> {
                    if (!views.containsKey(id)) {
                        cache.fill(claim, PollView.UNKNOWN);
                    }
                });
                return views;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    // the queue then tries a batch's devices one by one: only a device that fails alone gets 503
                    LOG.warnf("first-contact batch of %d devices failed %d times: %s", visits.size(), ATTEMPTS,
                            e.getMessage());
                    throw e;
                }
                LOG.debugf("first-contact batch failed (attempt %d), retrying: %s", attempt, e.getMessage());
            }
        }
    }
}
