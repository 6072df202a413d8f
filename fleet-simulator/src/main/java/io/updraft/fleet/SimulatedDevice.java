package io.updraft.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device speaking DDI the way SWUpdate's suricatta does: poll, follow cancelAction before deploymentBase, send
 * proceeding feedback, download and verify each artifact, install, send the final result, then report health.
 * Every step is asynchronous: tens of thousands of devices share a handful of threads.
 */
final class SimulatedDevice {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SUSPEND_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    final String id;
    final String model;
    final String revision;
    final int number;
    private final FleetScenario scenario;
    private final HttpClient http;
    private final Executor installDelay;
    private final String base;
    private final Map<Long, Integer> installs = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong polls;
    private volatile String installedVersion;

    SimulatedDevice(String id, String model, String revision, int number, FleetScenario scenario, HttpClient http,
            AtomicLong polls) {
        this.id = id;
        this.model = model;
        this.revision = revision;
        this.number = number;
        this.scenario = scenario;
        this.http = http;
        this.polls = polls;
        this.installedVersion = scenario.initialVersion();
        this.installDelay = CompletableFuture.delayedExecutor(scenario.installDuration().toMillis(),
                TimeUnit.MILLISECONDS);
        this.base = scenario.gatewayUrl() + "/" + scenario.tenant() + "/controller/v1/" + id;
    }

    DeviceLog log() {
        return new DeviceLog(id, model, revision, installedVersion, Map.copyOf(installs), List.copyOf(problems));
    }

    String installedVersion() {
        return installedVersion;
    }

    /** One poll and whatever it asks for; completes with how long to sleep before the next poll. */
    CompletableFuture<Duration> pollOnce() {
        polls.incrementAndGet();
        return getJson(base).thenCompose(poll -> {
            Duration sleep = parseSleep(poll.path("config").path("polling").path("sleep").asText("00:00:05"));
            JsonNode links = poll.path("_links");
            CompletableFuture<Void> work;
            if (links.has("configData")) {
                work = sendAttributes(links.path("configData").path("href").asText());
            } else {
                work = CompletableFuture.completedFuture(null);
            }
            if (links.has("cancelAction")) {
                String href = links.path("cancelAction").path("href").asText();
                work = work.thenCompose(ignored -> acknowledgeCancel(href));
            } else if (links.has("deploymentBase")) {
                String href = links.path("deploymentBase").path("href").asText();
                work = work.thenCompose(ignored -> deploy(href));
            }
            return work.thenApply(ignored -> sleep);
        });
    }

    private CompletableFuture<Void> sendAttributes(String href) {
        ObjectNode body = JSON.createObjectNode().put("mode", "replace");
        body.putObject("data").put("model", model).put("revision", revision).put("swVersion", installedVersion)
                .put("fleet", scenario.idPrefix());
        return send("PUT", href, body).thenAccept(ignored -> { });
    }

    private CompletableFuture<Void> acknowledgeCancel(String href) {
        return getJson(href).thenCompose(cancel -> {
            String stopId = cancel.path("cancelAction").path("stopId").asText(cancel.path("id").asText());
            return send("POST", base + "/cancelAction/" + stopId + "/feedback", feedback(stopId, "closed", "success",
                    "cancel acknowledged"));
        }).thenAccept(ignored -> { });
    }

    private CompletableFuture<Void> deploy(String href) {
        return getJson(href).thenCompose(deployment -> {
            long actionId = Long.parseLong(deployment.path("id").asText());
            String feedbackUrl = base + "/deploymentBase/" + actionId + "/feedback";
            String update = deployment.path("deployment").path("update").asText("forced");
            List<JsonNode> artifacts = new ArrayList<>();
            String version = null;
            for (JsonNode chunk : deployment.path("deployment").path("chunks")) {
                version = chunk.path("version").asText();
                chunk.path("artifacts").forEach(artifacts::add);
            }
            String targetVersion = version;
            installs.merge(actionId, 1, Integer::sum);
            return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "proceeding", "none",
                    "Installing Update Chunk Artifacts."))
                    .thenCompose(ignored -> downloadAll(artifacts))
                    .thenCompose(downloadProblem -> {
                        if (downloadProblem != null) {
                            problems.add(downloadProblem);
                            return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "closed", "failure",
                                    downloadProblem));
                        }
                        if ("skip".equals(update)) {
                            return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "downloaded", "none",
                                    "downloaded, install skipped"));
                        }
                        return CompletableFuture.supplyAsync(() -> null, installDelay)
                                .thenCompose(ignored -> finish(feedbackUrl, actionId, targetVersion));
                    });
        }).thenAccept(ignored -> { });
    }

    private CompletableFuture<HttpResponse<String>> finish(String feedbackUrl, long actionId, String version) {
        boolean fails = scenario.failures().stream().anyMatch(rule -> rule.fails(model, version, number));
        if (fails) {
            return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "closed", "failure",
                    "install of " + version + " failed: ERROR: simulated failure on " + model));
        }
        return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "closed", "success",
                "All Chunks Installed.")).thenCompose(response -> {
                    if (response.statusCode() / 100 == 2) {
                        installedVersion = version;
                    }
                    ObjectNode health = JSON.createObjectNode().put("bootOk", true).put("crashCount", 0)
                            .put("appHealthy", true);
                    health.putObject("metrics").put("uptimeSeconds", 1.0);
                    return send("POST", base + "/health", health);
                });
    }

    /** @return null when every artifact arrived whole and matched its sha256, else what went wrong */
    private CompletableFuture<String> downloadAll(List<JsonNode> artifacts) {
        CompletableFuture<String> chain = CompletableFuture.completedFuture(null);
        for (JsonNode artifact : artifacts) {
            chain = chain.thenCompose(problem -> problem != null ? CompletableFuture.completedFuture(problem)
                    : download(artifact));
        }
        return chain;
    }

    private CompletableFuture<String> download(JsonNode artifact) {
        JsonNode links = artifact.path("_links");
        String href = links.has("download-http") ? links.path("download-http").path("href").asText()
                : links.path("download").path("href").asText();
        String expected = artifact.path("hashes").path("sha256").asText();
        long size = artifact.path("size").asLong();
        return http.sendAsync(request(href).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        return "download of " + href + " answered " + response.statusCode();
                    }
                    byte[] body = response.body();
                    String actual = sha256(body);
                    if (body.length != size || !actual.equals(expected)) {
                        return "artifact " + artifact.path("filename").asText() + " corrupt: " + body.length
                                + " bytes, sha256 " + actual;
                    }
                    return null;
                });
    }

    private CompletableFuture<JsonNode> getJson(String url) {
        return http.sendAsync(request(url).GET().build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            try {
                return JSON.readTree(response.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("GET " + url + " returned no JSON", e);
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String url, JsonNode body) {
        HttpRequest request = request(url).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                problems.add(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response;
        });
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", "GatewayToken " + scenario.gatewayToken());
    }

    /** Feedback as suricatta sends it, legacy {@code id} and {@code time} included. */
    private static JsonNode feedback(String actionId, String execution, String finished, String detail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", Long.parseLong(actionId));
        body.put("time", LocalDateTime.now().format(SUSPEND_TIME));
        ObjectNode status = body.putObject("status");
        status.put("execution", execution);
        ObjectNode result = status.putObject("result");
        result.put("finished", finished);
        result.putObject("progress").put("cnt", 0).put("of", 1);
        status.putArray("details").add(detail);
        return body;
    }

    static Duration parseSleep(String hhmmss) {
        String[] parts = hhmmss.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("sleep must be HH:MM:SS, was " + hhmmss);
        }
        return Duration.ofHours(Integer.parseInt(parts[0])).plusMinutes(Integer.parseInt(parts[1]))
                .plusSeconds(Integer.parseInt(parts[2]));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
