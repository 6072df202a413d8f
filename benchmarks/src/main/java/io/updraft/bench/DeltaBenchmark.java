package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.fleet.FleetScenario.HardwareMix;
import io.updraft.fleet.FleetStats;
import io.updraft.fleet.SourceImage;
import io.updraft.fleet.ZchunkDeltaClient;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import io.updraft.zchunk.ZchunkHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Delta updates (issue 22) against the four packaged services (LocalStack): an image of {@code imageMb} MB (random
 * bytes, seeded) with 2 %, 10 % and 50 % of its 4 KiB blocks changed (random bytes in randomly chosen blocks, seeded)
 * is published with {@code delta=zchunk} (release-service writes the .zck), rolled out to one provisioned device per
 * share, and installed by the fleet simulator's delta client (the device runs v1): the bytes it downloads vs the full
 * image. Then, with the device's offer, the gateway's throughput in multi-range answers (the delta client's own
 * requests, up to 200 ranges each, {@code multipart/byteranges}) vs one single-range GET per range of the same bytes,
 * passes alternating, bodies read and dropped on this machine.
 */
final class DeltaBenchmark {
    private static final int BLOCK = 4096;
    static final int[] SHARES = {2, 10, 50};
    private final Path work;
    private final int imageMb;
    private final int passes;
    private final Consumer<String> say;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    DeltaBenchmark(Path work, int imageMb, int passes, Consumer<String> say) {
        this.work = work;
        this.imageMb = imageMb;
        this.passes = passes;
        this.say = say;
    }

    void run(Figures figures, SharedLocalStack shared) throws Exception {
        Path images = work.resolve("images");
        AppSnapshot.deleteRecursively(images);
        Files.createDirectories(images);
        Path v1 = images.resolve("v1.img");
        writeRandom(v1, (long) imageMb << 20, new Random(22));
        LocalStack stack = shared.get(); // with the gateway's max-ranges at 200 (SharedLocalStack.tuning)
        UpdraftApi api = UpdraftApi.of(stack);
        SourceImage running = SourceImage.of(v1);
        say.accept(String.format(Locale.ROOT, "v1 %d MB, %d chunks", imageMb, running.chunkCount()));
        for (int share : SHARES) {
            Path v2 = images.resolve("v2-" + share + ".img");
            int changed = change(v1, v2, share, new Random(22 + share));
            String prefix = "delta" + share;
            FleetScenario scenario = new FleetScenario(stack.service("device-gateway").url(), "DEFAULT",
                    stack.gatewayToken(), prefix, List.of(new HardwareMix("gw-100", "1.0", 1)), List.of(),
                    Duration.ofMillis(100), Duration.ofSeconds(1), "1.0.0")
                    .withDelta(1.0, ZchunkDeltaClient.DEFAULT_MAX_RANGES);
            FleetProvisioner.provision(stack.infrastructure(), scenario);
            long publishStarted = System.nanoTime();
            String releaseId = publish(api, share, v2);
            say.accept(String.format(Locale.ROOT, "%d %%: %,d blocks changed; published with delta=zchunk in %.1f s",
                    share, changed, (System.nanoTime() - publishStarted) / 1e9));
            createRollout(api, releaseId, prefix);
            String device = prefix + "-gw-100-000";
            Offer offer = offer(stack, device);
            measureThroughput(figures, share, offer, running, stack.gatewayToken());
            measureInstall(figures, share, scenario, running, offer);
            Files.delete(v2);
        }
    }

    /** The delta client installs v2 through DDI; its bytes vs the full image. */
    private void measureInstall(Figures figures, int share, FleetScenario scenario, SourceImage running, Offer offer)
            throws InterruptedException {
        try (Fleet fleet = new Fleet(scenario).sourceImage("1.0.0", running).start()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            FleetStats stats = fleet.stats();
            while (stats.installsSucceeded() + stats.installsFailed() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the delta device did not finish its install within 5 min: "
                            + fleet.summary() + " " + fleet.lastError());
                }
                Thread.sleep(200);
            }
            if (stats.deltaInstalls() != 1 || stats.installsSucceeded() != 1) {
                throw new IllegalStateException("the delta install did not succeed: " + fleet.logs());
            }
            double delta = stats.deltaBytesDownloaded();
            double full = stats.deltaFullBytes();
            figures.add(Figure.of(String.format(Locale.ROOT, "delta download, %d %% of blocks changed (%d MB image)",
                    share, imageMb), delta / 1e6, "MB").against(full / 1e6, "the full image")
                    .note(String.format(Locale.ROOT, "chunks fetched %,d, taken from v1 %,d; header, chunks and "
                            + "multipart framing counted; the rebuilt image matched the release's sha256",
                            stats.deltaChunksFetched(), stats.deltaChunksReused())));
        }
    }

    /**
     * The gateway answering the delta client's ranges as multi-range GETs vs the same ranges one GET each;
     * {@code passes} of each, alternating.
     */
    private void measureThroughput(Figures figures, int share, Offer offer, SourceImage running, String token)
            throws Exception {
        byte[] lead = get(offer.zckUrl, "bytes=0-" + (64 - 1), token).body();
        long headerLength = ZchunkDeltaClient.headerLength(lead);
        byte[] headerBytes = get(offer.zckUrl, "bytes=0-" + (headerLength - 1), token).body();
        ZchunkHeader header = ZchunkHeader.parse(headerBytes, (int) headerLength);
        List<long[]> ranges = ZchunkDeltaClient.missingRanges(header, running);
        long payload = ranges.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
        // the delta client's own GETs: up to 200 ranges and 8 MiB each
        List<String> multi = ZchunkDeltaClient.rangeHeaders(header, running, ZchunkDeltaClient.DEFAULT_MAX_RANGES);
        List<String> single = ranges.stream().map(r -> "bytes=" + r[0] + "-" + r[1]).toList();
        pass(offer.zckUrl, multi, token, payload); // warm-up of both ways
        pass(offer.zckUrl, single, token, payload);
        long multiNanos = 0;
        long singleNanos = 0;
        long multiBody = 0;
        for (int i = 0; i < passes; i++) {
            long started = System.nanoTime();
            multiBody = pass(offer.zckUrl, multi, token, payload);
            multiNanos += System.nanoTime() - started;
            started = System.nanoTime();
            pass(offer.zckUrl, single, token, payload);
            singleNanos += System.nanoTime() - started;
        }
        double multiRate = payload * (double) passes / 1e6 / (multiNanos / 1e9);
        double singleRate = payload * (double) passes / 1e6 / (singleNanos / 1e9);
        figures.add(Figure.of(String.format(Locale.ROOT, "gateway multi-range answers, %d %% changed", share),
                multiRate, "MB/s").against(singleRate, "single-range GETs of the same bytes")
                .note(String.format(Locale.ROOT, "%,d ranges (%.1f MB of chunks) in %d multi-range GETs vs %,d "
                        + "GETs; multipart framing %.2f %% of the body; %d passes each, one client", ranges.size(),
                        payload / 1e6, multi.size(), single.size(), 100.0 * (multiBody - payload) / multiBody, passes)));
    }

    /** Sends the GETs one after another, bodies read and dropped; returns the body bytes received. */
    private long pass(String url, List<String> ranges, String token, long payload) throws Exception {
        long body = 0;
        for (String range : ranges) {
            HttpResponse<InputStream> response = http.send(request(url, token).header("Range", range).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 206) {
                    throw new IllegalStateException("GET with " + range.split(",").length + " ranges answered "
                            + response.statusCode() + ": " + new String(in.readNBytes(500)));
                }
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    body += n;
                }
            }
        }
        if (body < payload) {
            throw new IllegalStateException("received " + body + " body bytes for " + payload + " bytes of ranges");
        }
        return body;
    }

    private record Offer(String zckUrl, String plainUrl, long plainSize) {
    }

    /**
     * Says, as the device, that it is a delta client ({@code update.delta=zchunk}: the gateway offers a .zck only to
     * those), then polls until its deploymentBase lists the image and its .zck.
     */
    private Offer offer(LocalStack stack, String device) throws Exception {
        String base = stack.service("device-gateway").url() + "/DEFAULT/controller/v1/" + device;
        ObjectNode config = UpdraftApi.object().put("mode", "merge");
        config.putObject("data").put(FleetScenario.DELTA_ATTRIBUTE, FleetScenario.DELTA_ZCHUNK);
        HttpResponse<String> said = http.send(HttpRequest.newBuilder(URI.create(base + "/configData"))
                .timeout(Duration.ofMinutes(2)).header("Authorization", "GatewayToken " + stack.gatewayToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(config.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (said.statusCode() != 200) {
            throw new IllegalStateException("configData of " + device + " answered " + said.statusCode() + ": "
                    + said.body());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            JsonNode poll = UpdraftApi.parse(get(base, null, stack.gatewayToken()).bodyAsText());
            String href = poll.path("_links").path("deploymentBase").path("href").asText("");
            if (!href.isEmpty()) {
                JsonNode deployment = UpdraftApi.parse(get(href, null, stack.gatewayToken()).bodyAsText());
                String zck = null;
                String plain = null;
                long size = 0;
                for (JsonNode chunk : deployment.path("deployment").path("chunks")) {
                    for (JsonNode artifact : chunk.path("artifacts")) {
                        String url = artifact.path("_links").path("download-http").path("href").asText();
                        if (artifact.path("filename").asText().endsWith(".zck")) {
                            zck = url;
                        } else {
                            plain = url;
                            size = artifact.path("size").asLong();
                        }
                    }
                }
                if (zck == null || plain == null) {
                    throw new IllegalStateException("the offer lacks the image or its .zck: " + deployment);
                }
                return new Offer(zck, plain, size);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(device + " was offered no deploymentBase within 2 min: " + poll);
            }
            Thread.sleep(300);
        }
    }

    private record Answer(int status, byte[] body) {
        String bodyAsText() {
            if (status != 200 && status != 206) {
                throw new IllegalStateException("answered " + status + ": " + new String(body));
            }
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Answer get(String url, String range, String token) throws Exception {
        HttpRequest.Builder request = request(url, token);
        if (range != null) {
            request.header("Range", range);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.body());
    }

    private static HttpRequest.Builder request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "GatewayToken " + token).GET();
    }

    private static String publish(UpdraftApi api, int share, Path image) {
        ObjectNode metadata = UpdraftApi.object().put("name", "delta-bench-" + share).put("version", "2.0." + share);
        metadata.putArray("hardware").addObject().put("model", "gw-100").put("revision", "1.0");
        Path named = image.resolveSibling("delta-bench-2.0." + share + ".img");
        try {
            Files.move(image, named);
            var upload = new UpdraftApi.ReleaseUpload(metadata, null, List.of(named), List.of(), List.of(), false);
            return api.publishRelease(upload, Map.of("delta", "zchunk")).release().path("id").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            try {
                if (Files.exists(named)) {
                    Files.move(named, image);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void createRollout(UpdraftApi api, String releaseId, String fleet) throws InterruptedException {
        ObjectNode body = UpdraftApi.object().put("name", "delta-bench-" + fleet).put("releaseId", releaseId);
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            var response = api.tryCreateRollout(body);
            if (response.statusCode() == 201) {
                return;
            }
            // the release reaches rollout-service through Kafka: 422 until it is in its catalog
            if (response.statusCode() != 422 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST /api/v1/rollouts answered " + response.statusCode() + ": "
                        + response.body());
            }
            Thread.sleep(200);
        }
    }

    private static void writeRandom(Path file, long size, Random random) throws IOException {
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
            }
        }
    }

    /** v2 = v1 with {@code percent} % of its 4 KiB blocks (chosen at random) overwritten with random bytes. */
    private static int change(Path v1, Path v2, int percent, Random random) throws IOException {
        Files.copy(v1, v2, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int blocks = (int) (Files.size(v1) / BLOCK);
        int changed = (int) Math.round(blocks * percent / 100.0);
        int[] order = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            order[i] = i;
        }
        byte[] fresh = new byte[BLOCK];
        try (FileChannel channel = FileChannel.open(v2, StandardOpenOption.WRITE)) {
            for (int i = 0; i < changed; i++) {
                int j = i + random.nextInt(blocks - i);
                int block = order[j];
                order[j] = order[i];
                order[i] = block;
                random.nextBytes(fresh);
                channel.write(java.nio.ByteBuffer.wrap(fresh), (long) block * BLOCK);
            }
        }
        return changed;
    }
}
