package io.updraft.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
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

/**
 * One device speaking DDI the way SWUpdate's suricatta does: poll, follow cancelAction before deploymentBase, send
 * proceeding feedback, download and verify each artifact, install, send the final result, then report health.
 * Every step is asynchronous: tens of thousands of devices share a handful of threads.
 */
final class SimulatedDevice {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SUSPEND_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    /**
     * A request answered 503 with {@code Retry-After} (the gateway's database away, too many first contacts) is sent
     * again after that many seconds, as an agent comes back instead of giving up: at most this often, and never later
     * than {@link #LONGEST_RETRY_AFTER}, so a simulated device keeps going.
     */
    static final int UNAVAILABLE_RETRIES = 40;
    static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(10);

    final String id;
    final String model;
    final String revision;
    final int number;
    private final FleetScenario scenario;
    private final BoundedHttp http;
    private final Executor installDelay;
    private final String base;
    private final Map<Long, Integer> installs = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final FleetStats stats;
    private final boolean cutsDownloads;
    private final boolean deltaClient;
    private final Map<String, SourceImage> images;
    private final java.util.concurrent.atomic.AtomicLong bytesDownloaded = new java.util.concurrent.atomic.AtomicLong();
    private volatile String installedVersion;
    private volatile boolean dead;
    /** the install results this device sent, oldest first (one per action: the rollout's, a rollback's) */
    private volatile List<FinalReport> finalReports = List.of();

    SimulatedDevice(String id, String model, String revision, int number, FleetScenario scenario, BoundedHttp http,
            FleetStats stats) {
        this(id, model, revision, number, scenario, http, stats, Map.of());
    }

    /** @param images installed version → its image, shared by the fleet: what a delta client runs */
    SimulatedDevice(String id, String model, String revision, int number, FleetScenario scenario, BoundedHttp http,
            FleetStats stats, Map<String, SourceImage> images) {
        this.id = id;
        this.model = model;
        this.revision = revision;
        this.number = number;
        this.scenario = scenario;
        this.http = http;
        this.stats = stats;
        this.installedVersion = scenario.initialVersion();
        long spread = scenario.installDurationMax().minus(scenario.installDuration()).toMillis();
        long installMillis = scenario.installDuration().toMillis()
                + (spread == 0 ? 0 : new java.util.Random(scenario.seed() * 31 + number + id.hashCode()).nextLong(spread + 1));
        // explicitly on the common pool: CompletableFuture's default async executor starts a thread per task where the
        // common pool has one worker (2 cores)
        this.installDelay = CompletableFuture.delayedExecutor(installMillis, TimeUnit.MILLISECONDS,
                java.util.concurrent.ForkJoinPool.commonPool());
        this.cutsDownloads = FleetScenario.Spread.position(number, 13) < scenario.cutDownloadShare();
        this.deltaClient = scenario.deltaClient(number);
        this.images = images;
        this.base = scenario.gatewayUrl() + "/" + scenario.tenant() + "/controller/v1/" + id;
    }

    /** A device that died silently after an install: it never polls or reports again. */
    boolean dead() {
        return dead;
    }

    boolean offline(java.time.Duration sinceStart) {
        return scenario.offline().stream().anyMatch(rule -> rule.offline(model, number, sinceStart));
    }

    DeviceLog log() {
        return new DeviceLog(id, model, revision, installedVersion, Map.copyOf(installs), List.copyOf(problems));
    }

    /** The install results this device sent, one per action, oldest first. */
    List<FinalReport> finalReports() {
        return finalReports;
    }

    private synchronized void keep(FinalReport report) {
        List<FinalReport> kept = new ArrayList<>(finalReports);
        kept.removeIf(r -> r.actionId() == report.actionId());
        kept.add(report);
        finalReports = List.copyOf(kept);
    }

    String installedVersion() {
        return installedVersion;
    }

    /** Whether this device reports {@code update.delta=zchunk} and fetches only missing chunks of a .zck. */
    boolean deltaClient() {
        return deltaClient;
    }

    /** Artifact body bytes this device received (full downloads, delta headers, chunks and multipart framing). */
    long bytesDownloaded() {
        return bytesDownloaded.get();
    }

    /** One poll and whatever it asks for; completes with how long to sleep before the next poll. */
    CompletableFuture<Duration> pollOnce() {
        stats.polls.incrementAndGet();
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
        ObjectNode data = body.putObject("data").put("model", model).put("revision", revision)
                .put("swVersion", installedVersion).put("fleet", scenario.idPrefix());
        if (deltaClient) {
            data.put(FleetScenario.DELTA_ATTRIBUTE, FleetScenario.DELTA_ZCHUNK);
        }
        return send("PUT", href, body).thenAccept(ignored -> { });
    }

    private CompletableFuture<Void> acknowledgeCancel(String href) {
        return getJson(href).thenCompose(cancel -> {
            String stopId = cancel.path("cancelAction").path("stopId").asText(cancel.path("id").asText());
            stats.cancelsAcknowledged.incrementAndGet();
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
            stats.installsStarted.incrementAndGet();
            return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "proceeding", "none",
                    "Installing Update Chunk Artifacts."))
                    .thenCompose(ignored -> downloadAll(artifacts))
                    .thenCompose(downloadProblem -> {
                        if (downloadProblem != null) {
                            problems.add(downloadProblem);
                            stats.installsFailed.incrementAndGet();
                            return sendFinal(feedbackUrl, actionId, true, downloadProblem);
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
        FleetScenario.FailureMode failure = scenario.failures().stream()
                .filter(rule -> rule.fails(model, version, number)).map(FleetScenario.FailureRule::mode)
                .findFirst().orElse(null);
        if (failure == FleetScenario.FailureMode.INSTALL_FAILURE) {
            stats.installsFailed.incrementAndGet();
            return sendFinal(feedbackUrl, actionId, true,
                    "install of " + version + " failed: ERROR: simulated failure on " + model);
        }
        return sendFinal(feedbackUrl, actionId, false, "All Chunks Installed.").thenCompose(response -> {
                    if (response.statusCode() / 100 == 2) {
                        installedVersion = version;
                        stats.installsSucceeded.incrementAndGet();
                    }
                    if (failure == FleetScenario.FailureMode.SILENT_DEATH) {
                        // reported success, then never heard from again: no health report, no more polls
                        dead = true;
                        stats.silentDeaths.incrementAndGet();
                        return CompletableFuture.completedFuture(response);
                    }
                    boolean crashing = failure == FleetScenario.FailureMode.CRASH_LOOP;
                    ObjectNode health = JSON.createObjectNode().put("bootOk", true)
                            .put("crashCount", crashing ? 5 : 0).put("appHealthy", !crashing);
                    health.putObject("metrics").put("uptimeSeconds", crashing ? 3.0 : 60.0);
                    stats.healthReports.incrementAndGet();
                    return send("POST", base + "/health", health);
                });
    }

    /** The closed feedback, its send and answer times kept in {@link #finalReports()}. */
    private CompletableFuture<HttpResponse<String>> sendFinal(String feedbackUrl, long actionId, boolean failed,
            String detail) {
        java.time.Instant sent = java.time.Instant.now();
        keep(new FinalReport(actionId, failed, sent, null, 0));
        return send("POST", feedbackUrl, feedback(String.valueOf(actionId), "closed", failed ? "failure" : "success",
                detail)).thenApply(response -> {
                    keep(new FinalReport(actionId, failed, sent, java.time.Instant.now(), response.statusCode()));
                    return response;
                });
    }

    /**
     * @return null when every artifact arrived whole and matched its sha256, else what went wrong. An image offered
     *         with its zchunk file ({@code X} and {@code X.zck}) is fetched once: by delta when this device is a
     *         delta client and has the image of its installed version, else in full (the .zck is left alone).
     */
    private CompletableFuture<String> downloadAll(List<JsonNode> artifacts) {
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        artifacts.forEach(artifact -> byName.put(artifact.path("filename").asText(), artifact));
        SourceImage running = deltaClient ? images.get(installedVersion) : null;
        CompletableFuture<String> chain = CompletableFuture.completedFuture(null);
        for (JsonNode artifact : artifacts) {
            String name = artifact.path("filename").asText();
            JsonNode plain = name.endsWith(".zck") ? byName.get(name.substring(0, name.length() - 4)) : null;
            JsonNode zck = byName.get(name + ".zck");
            boolean byDelta = running != null && plain != null;
            if ((plain != null && !byDelta) || (zck != null && running != null)) {
                continue; // the other file of the pair is the one fetched
            }
            chain = chain.thenCompose(problem -> problem != null ? CompletableFuture.completedFuture(problem)
                    : byDelta ? downloadDelta(artifact, plain, running) : download(artifact));
        }
        return chain;
    }

    /**
     * Fetches only the chunks of the .zck {@code zck} the running image lacks, verifies each, rebuilds the new image
     * and checks it against the plain image's sha256 and size as the offer lists them.
     */
    private CompletableFuture<String> downloadDelta(JsonNode zck, JsonNode plain, SourceImage running) {
        ZchunkDeltaClient client = new ZchunkDeltaClient(
                request -> exchange(request, HttpResponse.BodyHandlers.ofByteArray()), this::request,
                scenario.deltaMaxRanges());
        return client.fetch(href(zck), running, null).thenApply(result -> {
            long bytes = result.bytesDownloaded();
            bytesDownloaded.addAndGet(bytes);
            stats.bytesDownloaded.addAndGet(bytes);
            stats.deltaBytesDownloaded.addAndGet(bytes);
            stats.deltaFullBytes.addAndGet(plain.path("size").asLong());
            stats.deltaChunksFetched.addAndGet(result.chunksFetched());
            stats.deltaChunksReused.addAndGet(result.chunks() - result.chunksFetched());
            if (result.problem() != null) {
                return "delta download of " + zck.path("filename").asText() + " failed: " + result.problem();
            }
            String expected = plain.path("hashes").path("sha256").asText();
            if (result.imageLength() != plain.path("size").asLong() || !result.imageSha256Hex().equals(expected)) {
                return "image rebuilt from " + zck.path("filename").asText() + " is not " + plain.path("filename")
                        .asText() + ": " + result.imageLength() + " bytes, sha256 " + result.imageSha256Hex();
            }
            stats.deltaInstalls.incrementAndGet();
            return null;
        });
    }

    private static String href(JsonNode artifact) {
        JsonNode links = artifact.path("_links");
        return links.has("download-http") ? links.path("download-http").path("href").asText()
                : links.path("download").path("href").asText();
    }

    /**
     * Downloads one artifact into a digest. A device chosen to have bad links hangs up halfway and resumes with
     * {@code Range: bytes=N-}, as agents do after a cut connection; the whole must still match its sha256.
     */
    private CompletableFuture<String> download(JsonNode artifact) {
        String href = href(artifact);
        String expected = artifact.path("hashes").path("sha256").asText();
        long size = artifact.path("size").asLong();
        MessageDigest digest = sha256();
        long firstPart = cutsDownloads && size > 1 ? size / 2 : Long.MAX_VALUE;
        return exchange(request(href).GET().build(), info -> info.statusCode() == 200
                ? new DigestingBody(digest, firstPart) : HttpResponse.BodySubscribers.replacing(-1L))
                .thenCompose(first -> {
                    if (first.statusCode() != 200) {
                        return CompletableFuture.completedFuture("download of " + href + " answered "
                                + first.statusCode());
                    }
                    long received = first.body();
                    if (received >= size) {
                        return CompletableFuture.completedFuture(verify(artifact, digest, received, size, expected));
                    }
                    stats.downloadsResumed.incrementAndGet();
                    HttpRequest resume = request(href).header("Range", "bytes=" + received + "-").GET().build();
                    return exchange(resume, info -> info.statusCode() == 206
                            ? new DigestingBody(digest, Long.MAX_VALUE) : HttpResponse.BodySubscribers.replacing(-1L))
                            .thenApply(rest -> rest.statusCode() != 206
                                    ? "resumed download of " + href + " answered " + rest.statusCode()
                                    : verify(artifact, digest, received + rest.body(), size, expected));
                });
    }

    private String verify(JsonNode artifact, MessageDigest digest, long received, long size, String expected) {
        stats.bytesDownloaded.addAndGet(received);
        bytesDownloaded.addAndGet(received);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (received != size || !actual.equals(expected)) {
            return "artifact " + artifact.path("filename").asText() + " corrupt: " + received + " bytes, sha256 "
                    + actual;
        }
        return null;
    }

    private CompletableFuture<JsonNode> getJson(String url) {
        return exchange(request(url).GET().build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
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
        return exchange(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                problems.add(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response;
        });
    }

    /** One exchange, sent again after its {@code Retry-After} while it is answered 503 with one. */
    private <T> CompletableFuture<HttpResponse<T>> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return exchange(request, handler, UNAVAILABLE_RETRIES);
    }

    private <T> CompletableFuture<HttpResponse<T>> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            int retriesLeft) {
        return http.sendAsync(request, handler).thenCompose(response -> {
            Duration retryAfter = retryAfter(response);
            if (retryAfter == null || retriesLeft == 0) {
                return CompletableFuture.completedFuture(response);
            }
            stats.retriedAfterUnavailable.incrementAndGet();
            Executor later = CompletableFuture.delayedExecutor(retryAfter.toMillis(), TimeUnit.MILLISECONDS,
                    java.util.concurrent.ForkJoinPool.commonPool());
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> exchange(request, handler, retriesLeft - 1));
        });
    }

    /** How long a 503 asks the device to wait (delay-seconds only), at most {@link #LONGEST_RETRY_AFTER}; else null. */
    static Duration retryAfter(HttpResponse<?> response) {
        if (response.statusCode() != 503) {
            return null;
        }
        String header = response.headers().firstValue("Retry-After").orElse("").trim();
        if (header.isEmpty() || !header.chars().allMatch(Character::isDigit) || header.length() > 6) {
            return null;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(header));
        return asked.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : asked;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
