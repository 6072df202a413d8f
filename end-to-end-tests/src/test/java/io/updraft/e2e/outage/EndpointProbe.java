package io.updraft.e2e.outage;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Sends a fixed set of named requests over and over, each on its own thread (a slow answer holds up no other
 * endpoint), as devices and an operator would while something below the services fails, and keeps every answer:
 * status, whether a 503 carried {@code Retry-After}, its content type, body and how long it took. A request that got
 * no answer at all is kept with status -1.
 */
public final class EndpointProbe implements AutoCloseable {
    public record Answer(Instant at, String endpoint, int status, String retryAfter, String contentType, String body,
            Duration took) {
        /** A 5xx other than 503, a 503 without Retry-After or problem+json, or no answer: what must never happen. */
        public boolean broken() {
            if (status == -1 || (status >= 500 && status != 503)) {
                return true;
            }
            return status == 503 && (retryAfter == null || contentType == null
                    || !contentType.startsWith("application/problem+json"));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, HttpRequest> requests;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public EndpointProbe(Map<String, HttpRequest> requests) {
        this.requests = new LinkedHashMap<>(requests);
        requests.forEach((endpoint, request) -> {
            Thread thread = new Thread(() -> probe(endpoint, request), "probe " + endpoint);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        });
    }

    private void probe(String endpoint, HttpRequest request) {
        while (running) {
            answers.add(send(endpoint, request));
            try {
                Thread.sleep(200); // the probe's pace, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Answer send(String endpoint, HttpRequest request) {
        Instant at = Instant.now();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(at, endpoint, response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(null), response.body(),
                    Duration.between(at, Instant.now()));
        } catch (java.io.IOException e) {
            return new Answer(at, endpoint, -1, null, null, e.toString(), Duration.between(at, Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(at, endpoint, -1, null, null, "interrupted", Duration.between(at, Instant.now()));
        }
    }

    public List<Answer> answers(Predicate<Answer> which) {
        return answers.stream().filter(which).toList();
    }

    /** endpoint → status → count, for the answers between two instants. */
    public Map<String, Map<Integer, Long>> histogram(Instant from, Instant until) {
        Map<String, Map<Integer, Long>> histogram = new LinkedHashMap<>();
        requests.keySet().forEach(endpoint -> histogram.put(endpoint, new TreeMap<>()));
        for (Answer answer : answers) {
            if (!answer.at().isBefore(from) && answer.at().isBefore(until)) {
                histogram.get(answer.endpoint()).merge(answer.status(), 1L, Long::sum);
            }
        }
        return histogram;
    }

    /** The longest time any request sent between two instants took to be answered. */
    public Duration slowest(Instant from, Instant until) {
        return answers.stream().filter(a -> !a.at().isBefore(from) && a.at().isBefore(until)).map(Answer::took)
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(35).toMillis());
        }
    }
}
