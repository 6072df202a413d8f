package io.updraft.fleet;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The fleet's HTTP client with at most {@code maxInFlight} exchanges at once; the others wait their turn in order.
 * A real device has its own connection and file descriptors; thousands of simulated devices share one process, and
 * 100,000 devices whose polls fall due together would otherwise open 100,000 connections. Only HTTP exchanges hold a
 * slot — a device "installing" between two requests does not.
 */
final class BoundedHttp {
    private final HttpClient http;
    private final Semaphore slots;
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    BoundedHttp(HttpClient http, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.http = http;
        this.slots = new Semaphore(maxInFlight);
    }

    <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        waiting.add(() -> {
            CompletableFuture<HttpResponse<T>> exchange;
            try {
                exchange = http.sendAsync(request, handler);
            } catch (RuntimeException e) {
                exchange = CompletableFuture.failedFuture(e);
            }
            exchange.whenComplete((response, error) -> {
                slots.release();
                runWaiting();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(response);
                }
            });
        });
        runWaiting();
        return result;
    }

    /** Exchanges waiting for a slot (for tests and the summary). */
    int waiting() {
        return waiting.size();
    }

    private void runWaiting() {
        while (!waiting.isEmpty() && slots.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                slots.release();
                // another thread took the last one between isEmpty and poll; one may have been added since
                continue;
            }
            next.run();
        }
    }
}
