package io.updraft.e2e.outage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polls a service's {@code /q/health/ready} every 100 ms on its own thread and keeps each change of state (UP for 200,
 * DOWN for 503, UNREACHABLE when nothing answers) with the time it was first seen.
 */
public final class ReadinessWatch implements AutoCloseable {
    public enum State { UP, DOWN, UNREACHABLE, OTHER }

    public record Change(Instant at, State state, int status) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ReadinessWatch(String serviceUrl) {
        this.request = HttpRequest.newBuilder(URI.create(serviceUrl + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                .GET().build();
        this.thread = new Thread(this::watch, "readiness-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            int status;
            State state;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                state = status == 200 ? State.UP : status == 503 ? State.DOWN : State.OTHER;
            } catch (java.io.IOException e) {
                status = -1;
                state = State.UNREACHABLE;
            } catch (InterruptedException e) {
                return;
            }
            if (changes.isEmpty() || changes.get(changes.size() - 1).state() != state) {
                changes.add(new Change(Instant.now(), state, status));
            }
            try {
                Thread.sleep(100); // the watch's sampling period, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public State current() {
        return changes.isEmpty() ? null : changes.get(changes.size() - 1).state();
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** The first change to {@code state} at or after {@code from}, or null. */
    public Change firstAfter(Instant from, State state) {
        return changes.stream().filter(c -> !c.at().isBefore(from) && c.state() == state).findFirst().orElse(null);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
