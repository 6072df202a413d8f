package io.updraft.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop latency at a fixed rate (what wrk2 would do): requests leave on a fixed schedule whatever the answers do,
 * and each latency counts from the moment its request was due, so a stalled server cannot hide its queue
 * (no coordinated omission). One Vert.x event loop, non-blocking, so the client needs little of the shared CPU.
 */
final class FixedRateProbe {
    record Result(int sent, int ok, int failed, double p50Millis, double p99Millis, double p999Millis,
            double maxMillis, double achievedRate) {
    }

    static Result run(String host, int port, int devices, int ratePerSecond, int seconds) throws InterruptedException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true)
                            .setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(-1));
            // one extra second first, not counted: connections are opened then, not inside the measurement
            int warmUp = ratePerSecond;
            int total = ratePerSecond * seconds + warmUp;
            long[] latencies = new long[total];
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(total);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            double intervalNanos = 1e9 / ratePerSecond;
            int[] next = { 0 };
            vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                while (next[0] < total && start + (long) (next[0] * intervalNanos) <= now) {
                    int index = next[0]++;
                    long due = start + (long) (index * intervalNanos);
                    send(client, devices, due, index, latencies, ok, failed, done);
                }
                if (next[0] == total) {
                    vertx.cancelTimer(timer);
                }
            });
            if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fixed-rate probe did not finish: " + done.getCount() + " open");
            }
            long elapsed = System.nanoTime() - start;
            Percentiles millis = Percentiles.of(Arrays.stream(latencies, warmUp, total).mapToDouble(n -> n / 1e6)
                    .toArray());
            return new Result(total, ok.get(), failed.get(), millis.at(50), millis.at(99), millis.at(99.9),
                    millis.max(), total / (elapsed / 1e9));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void send(HttpClient client, int devices, long due, int index, long[] latencies, AtomicInteger ok,
            AtomicInteger failed, CountDownLatch done) {
        String n = String.format("%07d", ThreadLocalRandom.current().nextInt(devices));
        client.request(HttpMethod.GET, "/DEFAULT/controller/v1/bench-" + n)
                .compose(request -> request.putHeader("Authorization", "TargetToken bench-token-" + n)
                        .putHeader("Accept", "application/json").send())
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(result -> {
                    latencies[index] = System.nanoTime() - due;
                    if (result.succeeded() && result.result() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
    }
}
