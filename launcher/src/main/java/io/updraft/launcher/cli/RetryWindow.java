package io.updraft.launcher.cli;

import io.updraft.launcher.UpdraftApi.ApiException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Asks a service again while it fails transiently ({@link ApiException#isTransient}: unreachable, 5xx, 429), with an
 * exponential backoff from {@link #FIRST_BACKOFF} to {@link #MAX_BACKOFF}, for at most {@code window} from the first
 * failure of a streak: a restart or a deployment of the service does not fail the pipeline that watches it. Each retry
 * is said ({@code "rollout-service unreachable (Connection refused), retrying for up to 4m12s"}).
 */
final class RetryWindow {
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** The caller's own deadline came before the service answered. */
    static final class DeadlineReached extends RuntimeException {
        DeadlineReached(ApiException last) {
            super(last.getMessage(), last);
        }
    }

    private final String service;
    private final Duration window;
    private final Consumer<String> notice;

    /**
     * @param service what the notices call the service ("rollout-service")
     * @param notice where each retry is said (standard error)
     */
    RetryWindow(String service, Duration window, Consumer<String> notice) {
        this.service = service;
        this.window = window;
        this.notice = notice;
    }

    /**
     * @param deadlineNanos a {@link System#nanoTime()} after which no retry starts ({@link DeadlineReached})
     * @return what {@code request} answered once it did
     * @throws ApiException a failure that is not transient, or the last one once the window has passed
     */
    <T> T call(Supplier<T> request, long deadlineNanos) throws InterruptedException {
        long windowEnd = 0;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                return request.get();
            } catch (ApiException failure) {
                if (!failure.isTransient()) {
                    throw failure;
                }
                long now = System.nanoTime();
                if (windowEnd == 0) {
                    windowEnd = now + window.toNanos();
                }
                long left = windowEnd - now;
                if (left <= 0) {
                    throw new ApiException(service + " " + failure.symptom() + " for " + words(window)
                            + ", giving up: " + failure.getMessage(), failure.status(), failure);
                }
                if (now + backoff.toNanos() - deadlineNanos > 0) {
                    throw new DeadlineReached(failure);
                }
                notice.accept(service + " " + failure.symptom() + ", retrying for up to " + words(Duration.ofNanos(left)));
                Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, left / 1_000_000)));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** {@code 4m12s}, {@code 1h5m}, {@code 800ms}: a duration as people write it. */
    static String words(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0 || text.length() == 0) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}
