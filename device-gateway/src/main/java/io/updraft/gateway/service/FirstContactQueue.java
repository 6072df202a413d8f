package io.updraft.gateway.service;

import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.domain.PollView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces the polls the cache cannot answer (a device's first contact, a view not in memory): they wait here, and
 * one thread hands them to the database a batch at a time. A storm of 10,000 first polls thus costs ten transactions
 * on one connection instead of 10,000 transactions fighting over the pool. Bounded: when the queue is full a visit
 * is refused at once ({@link Full}), and the caller answers 503 with Retry-After.
 */
public final class FirstContactQueue implements AutoCloseable {
    /** A poll waiting for its view: the tenant's device, on first contact ({@code registers}: register it) or not. */
    public record Visit(String tenant, String controllerId, boolean registers) {
        /** The device across tenants ({@link DeviceKeys}): what the batch's answer is keyed by. */
        public String key() {
            return DeviceKeys.of(tenant, controllerId);
        }
    }

    /** Registers and loads one batch, one visit per device; answers every device's view by key (absent = unknown). */
    @FunctionalInterface
    public interface Batch {
        Map<String, PollView> apply(List<Visit> visits) throws Exception;
    }

    /** The queue is full (or closed): the device should come back later. */
    public static final class Full extends RuntimeException {
        Full(String message) {
            super(message, null, false, false);
        }
    }

    private record Waiting(Visit visit, CompletableFuture<PollView> answer) {
    }

    /** Visits of a failed batch that may fail alone before the rest is failed without trying (see applyAlone). */
    private static final int MAX_FAILED_ALONE = 3;

    private final ArrayBlockingQueue<Waiting> queue;
    private final int batchSize;
    private final Batch batch;
    private final Thread writer;
    private volatile boolean running = true;

    public FirstContactQueue(String name, int capacity, int batchSize, Batch batch) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.batch = batch;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** @return the device's view once its batch is committed; fails with {@link Full} at once when full */
    public CompletableFuture<PollView> submit(Visit visit) {
        CompletableFuture<PollView> answer = new CompletableFuture<>();
        if (!running || !queue.offer(new Waiting(visit, answer))) {
            answer.completeExceptionally(new Full(running ? "first-contact queue full" : "shutting down"));
        }
        return answer;
    }

    /** Visits waiting for the writer. */
    public int waiting() {
        return queue.size();
    }

    private void run() {
        List<Waiting> taken = new ArrayList<>(batchSize);
        while (running) {
            try {
                Waiting first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, batchSize - 1);
                apply(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                taken.clear();
            }
        }
        List<Waiting> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(w -> w.answer().completeExceptionally(new Full("shutting down")));
    }

    private void apply(List<Waiting> taken) {
        // one visit per device (a duplicate would make the batch's upsert touch a row twice); registering wins
        Map<String, Visit> visits = new LinkedHashMap<>();
        for (Waiting waiting : taken) {
            visits.merge(waiting.visit().key(), waiting.visit(), (a, b) -> a.registers() ? a : b);
        }
        try {
            answer(taken, batch.apply(List.copyOf(visits.values())));
        } catch (Throwable e) {
            if (visits.size() == 1) {
                taken.forEach(w -> w.answer().completeExceptionally(e));
            } else {
                applyAlone(taken, visits.values(), e);
            }
        }
    }

    /**
     * A failed batch, one visit at a time: a visit the database refuses (an id it cannot store) then fails alone
     * instead of every device that polled beside it. When several fail alone the database itself is failing, and
     * the rest fail at once rather than holding the writer for a batch's worth of doomed transactions.
     */
    private void applyAlone(List<Waiting> taken, Collection<Visit> visits, Throwable batchFailure) {
        Map<String, List<Waiting>> byDevice = new HashMap<>();
        taken.forEach(w -> byDevice.computeIfAbsent(w.visit().key(), id -> new ArrayList<>()).add(w));
        int failedAlone = 0;
        for (Visit visit : visits) {
            List<Waiting> ofDevice = byDevice.get(visit.key());
            if (failedAlone >= MAX_FAILED_ALONE) {
                ofDevice.forEach(w -> w.answer().completeExceptionally(batchFailure));
                continue;
            }
            try {
                answer(ofDevice, batch.apply(List.of(visit)));
            } catch (Throwable e) {
                failedAlone++;
                ofDevice.forEach(w -> w.answer().completeExceptionally(e));
            }
        }
    }

    private static void answer(List<Waiting> waiting, Map<String, PollView> views) {
        for (Waiting w : waiting) {
            w.answer().complete(views.getOrDefault(w.visit().key(), PollView.UNKNOWN));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.interrupt();
        writer.join(5_000);
    }
}
