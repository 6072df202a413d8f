package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.e2e.swupdate.DeltaImages;
import io.updraft.e2e.swupdate.DeviceProvisioning;
import io.updraft.e2e.swupdate.RangeFileServer;
import io.updraft.e2e.swupdate.SwupdateAgent;
import io.updraft.e2e.swupdate.Zchunk;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delta updates with the real agent (issue 22): Debian's SWUpdate 2022.12, whose delta handler reads the zchunk header
 * in the {@code .swu}, compares it with the running image and fetches only the chunks it lacks with multi-range GETs
 * from the {@code url} in the signed sw-description, then hands the rebuilt image to the raw handler. The images are
 * file-backed: {@code slot-a.img} is the running v1 (the delta's {@code source}), {@code target.img} the slot the update
 * writes. The {@code url} is a delta link minted by device-gateway ({@code POST /api/v1/delta-links}) before the
 * release is published, since SWUpdate's chunk downloader sends no credentials.
 */
class SwupdateDeltaIT {
    private static final String MODEL = "board";
    private static final String REVISION = "1.0";
    private static final int IMAGE_SIZE = 8 * 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void tools() {
        DeviceProvisioning.requireTools("apt-get install -y swupdate zchunk cpio openssl", "swupdate", "zck",
                "zck_read_header", "openssl", "cpio");
    }

    /**
     * The agent alone, against a range-capable file server in this JVM: what the delta handler needs from any server,
     * and that it really downloads only the missing chunks. Would fail if the handler were missing from this SWUpdate,
     * could not reuse the running image's chunks, or mis-read a multipart/byteranges answer.
     */
    @Test
    void theDeltaHandlerRebuildsV2FromTheRunningImageAndTheMissingChunksOnly() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "swupdate-delta-local-" + shortId())).toAbsolutePath();
        DeltaImages images = DeltaImages.make(work, "2", IMAGE_SIZE, 4, 10, 22);
        Path slotA = Files.copy(images.running(), work.resolve("slot-a.img"));
        Path target = Files.copy(images.running(), work.resolve("target.img"));
        List<Zchunk.Chunk> missing = Zchunk.missing(images.runningZck(), images.nextZck());
        long missingBytes = Zchunk.compressedBytes(missing);

        try (RangeFileServer server = RangeFileServer.serving(images.nextZck())) {
            Path swu = images.deltaSwu("2", REVISION, server.url(), slotA, target);
            Path log = work.resolve("swupdate-local.log");
            int exit = SwupdateAgent.installFile(swu, images.certificate(), MODEL + ":" + REVISION, log,
                    Duration.ofMinutes(3));

            assertThat(SwupdateAgent.installSucceeded(exit, log)).as("exit %d, log:%n%s", exit, Files.readString(log))
                    .isTrue();
            assertThat(Files.mismatch(target, images.next())).as("target.img against v2").isEqualTo(-1L);
            long zckSize = Files.size(images.nextZck());
            System.out.printf("delta (local server): %d of %d chunks missing, %d compressed bytes; served %d bytes "
                    + "in %d GET(s) of %s; the .zck is %d bytes%n", missing.size(),
                    Zchunk.chunks(images.nextZck()).size() - 1, missingBytes, server.bodyBytes(),
                    server.ranges().size(), server.ranges(), zckSize);
            assertThat(server.bodyBytes()).as("bytes served for the missing chunks")
                    .isBetween(missingBytes, missingBytes + framing(missing));
            assertThat(server.bodyBytes()).isLessThan(zckSize / 4);
        }
    }

    /**
     * Through the services: a release of the delta .swu ({@code role=delta}), the full .swu ({@code role=full}) and
     * v2's .zck, rolled out to two SWUpdate devices. The one that reports {@code update.delta=zchunk} (suricatta's
     * identify entries) is offered the delta .swu and fetches the missing chunks through its delta link; the plain one
     * is offered the full .swu. Both end byte-identical to v2 and SUCCEEDED, and the gateway's delta-link counter grew
     * by the missing chunks (plus multipart framing), far less than the .zck.
     */
    @Test
    void aDeltaDeviceFetchesOnlyTheMissingChunksThroughItsDeltaLinkAndAPlainDeviceTheFullImage() throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = shortId();
        Path work = Files.createDirectories(stack.home().resolve("swupdate-delta-" + run)).toAbsolutePath();
        DeltaImages images = DeltaImages.make(work, "2", IMAGE_SIZE, 4, 10, 2200);
        Path deltaDir = Files.createDirectories(work.resolve("delta-device"));
        Path plainDir = Files.createDirectories(work.resolve("plain-device"));
        Path deltaSlotA = Files.copy(images.running(), deltaDir.resolve("slot-a.img"));
        Path deltaTarget = Files.copy(images.running(), deltaDir.resolve("target.img"));
        Path plainTarget = Files.copy(images.running(), plainDir.resolve("target.img"));
        List<Zchunk.Chunk> missing = Zchunk.missing(images.runningZck(), images.nextZck());
        long missingBytes = Zchunk.compressedBytes(missing);

        // the vendor's CI: a delta link for v2's .zck first (it goes into the signed sw-description), then the release
        String link = mintDeltaLink(stack, DeltaImages.sha256(images.nextZck()));
        Path deltaSwu = images.deltaSwu("2.0.0-r" + run, REVISION, gateway(stack) + link, deltaSlotA, deltaTarget);
        Path fullSwu = images.fullSwu("2.0.0-r" + run, REVISION, plainTarget);
        JsonNode release = publish(stack, "delta-firmware-" + run, "2.0.0-r" + run,
                List.of(deltaSwu, fullSwu, images.nextZck()), List.of("delta", "full", "full"));
        String releaseId = release.path("id").asText();

        // two devices of one fleet: one says it can take zchunk deltas, the other says nothing of deltas
        String fleet = "delta-" + run;
        String deltaDevice = fleet + "-zck";
        String plainDevice = fleet + "-plain";
        Map<String, String> plainIdentity = Map.of("model", MODEL, "revision", REVISION, "fleet", fleet);
        Map<String, String> deltaIdentity = new LinkedHashMap<>(plainIdentity);
        deltaIdentity.put("update.delta", "zchunk");
        String deltaToken = DeviceProvisioning.targetToken(stack, deltaDevice);
        String plainToken = DeviceProvisioning.targetToken(stack, plainDevice);
        double servedBefore = deltaLinkBytes(stack, releaseId);

        SwupdateAgent deltaAgent = agent(stack, images, deltaDir, deltaDevice, deltaToken, deltaIdentity, null);
        SwupdateAgent plainAgent = agent(stack, images, plainDir, plainDevice, plainToken, plainIdentity, null);
        try {
            deltaAgent.await("the delta device's identify entries at the gateway", Duration.ofSeconds(90),
                    () -> "zchunk".equals(attributes(stack, deltaDevice).path("update.delta").asText()));
            plainAgent.await("the plain device's identify entries at the gateway", Duration.ofSeconds(90),
                    () -> fleet.equals(attributes(stack, plainDevice).path("fleet").asText()));
            await("both devices in the inventory").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId")
                            .containsAll(List.of(deltaDevice, plainDevice)));
            String rolloutId = EndToEndStack.createRollout(api, rollout(releaseId, fleet), Duration.ofSeconds(60));

            deltaAgent.await("the delta device's target.img rebuilt as v2", Duration.ofSeconds(180),
                    () -> Files.mismatch(deltaTarget, images.next()) == -1L
                            && "RUNNING".equals(actionState(api, rolloutId, deltaDevice)));
            plainAgent.await("the plain device's target.img written as v2", Duration.ofSeconds(180),
                    () -> Files.mismatch(plainTarget, images.next()) == -1L
                            && "RUNNING".equals(actionState(api, rolloutId, plainDevice)));
            deltaAgent.stop();
            plainAgent.stop();
            // no bootloader: each confirms its install on its next start (-c 2), as in SwupdateAgentIT
            deltaAgent = agent(stack, images, deltaDir, deltaDevice, deltaToken, deltaIdentity, 2);
            plainAgent = agent(stack, images, plainDir, plainDevice, plainToken, plainIdentity, 2);
            deltaAgent.await("the delta device's success", Duration.ofSeconds(90),
                    () -> "SUCCEEDED".equals(actionState(api, rolloutId, deltaDevice)));
            plainAgent.await("the plain device's success", Duration.ofSeconds(90),
                    () -> "SUCCEEDED".equals(actionState(api, rolloutId, plainDevice)));
        } finally {
            deltaAgent.stop();
            plainAgent.stop();
        }

        assertThat(Files.mismatch(deltaTarget, images.next())).as("delta device's target.img against v2").isEqualTo(-1L);
        assertThat(Files.mismatch(plainTarget, images.next())).as("plain device's target.img against v2").isEqualTo(-1L);
        String deltaLog = Files.readString(deltaAgent.log().resolveSibling("swupdate-" + deltaDevice + "-install.log"));
        assertThat(deltaLog).as("the delta device ran the delta handler").contains("Total bytes to be downloaded");
        String plainLog = Files.readString(plainAgent.log().resolveSibling("swupdate-" + plainDevice + "-install.log"));
        assertThat(plainLog).as("the plain device installed the full image").doesNotContain("install_delta");
        long served = (long) (deltaLinkBytes(stack, releaseId) - servedBefore);
        long zckSize = Files.size(images.nextZck());
        System.out.printf("delta (gateway): %d of %d chunks missing, %d compressed bytes; the gateway served %d bytes "
                + "through the delta link; the .zck is %d bytes, the full .swu %d bytes%n", missing.size(),
                Zchunk.chunks(images.nextZck()).size() - 1, missingBytes, served, zckSize, Files.size(fullSwu));
        assertThat(served).as("delta-link bytes served for the missing chunks")
                .isBetween(missingBytes, missingBytes + framing(missing));
        assertThat(served).isLessThan(zckSize / 4);
    }

    /**
     * A chunk the device lacks, corrupted in release-service's blob store after publishing: the delta handler checks
     * each downloaded chunk's SHA-256 from the signed header, so the install fails, the device reports it, and the
     * action ends FAILED — target.img is not v2.
     */
    @Test
    void aCorruptedChunkOnTheServerFailsTheInstallAndTheActionIsReportedFailed() throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = shortId();
        Path work = Files.createDirectories(stack.home().resolve("swupdate-delta-bad-" + run)).toAbsolutePath();
        DeltaImages images = DeltaImages.make(work, "3", IMAGE_SIZE, 3, 8, 3300);
        Path slotA = Files.copy(images.running(), work.resolve("slot-a.img"));
        Path target = Files.copy(images.running(), work.resolve("target.img"));
        String zckSha256 = DeltaImages.sha256(images.nextZck());

        String link = mintDeltaLink(stack, zckSha256);
        Path deltaSwu = images.deltaSwu("3.0.0-r" + run, REVISION, gateway(stack) + link, slotA, target);
        Path fullSwu = images.fullSwu("3.0.0-r" + run, REVISION, target);
        JsonNode release = publish(stack, "delta-corrupt-" + run, "3.0.0-r" + run,
                List.of(deltaSwu, fullSwu, images.nextZck()), List.of("delta", "full", "full"));

        // flip 16 bytes in the middle of the first chunk the device will have to fetch, in the stored blob
        Path blob = stack.home().resolve("artifacts").resolve(zckSha256);
        assertThat(blob).as("the .zck in release-service's filesystem store").exists();
        Zchunk.Chunk victim = Zchunk.missing(images.runningZck(), images.nextZck()).get(0);
        byte[] stored = Files.readAllBytes(blob);
        long at = victim.start() + victim.compressedSize() / 2;
        for (int i = 0; i < 16; i++) {
            stored[(int) at + i] ^= (byte) 0xff;
        }
        Path corrupted = work.resolve("corrupted.zck");
        Files.write(corrupted, stored);
        Files.move(corrupted, blob, StandardCopyOption.REPLACE_EXISTING);

        String fleet = "delta-bad-" + run;
        String device = fleet + "-zck";
        Map<String, String> identity = Map.of("model", MODEL, "revision", REVISION, "fleet", fleet,
                "update.delta", "zchunk");
        String token = DeviceProvisioning.targetToken(stack, device);
        SwupdateAgent agent = agent(stack, images, work, device, token, identity, null);
        try {
            agent.await("the device's identify entries at the gateway", Duration.ofSeconds(90),
                    () -> "zchunk".equals(attributes(stack, device).path("update.delta").asText()));
            await("the device in the inventory").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId")
                            .contains(device));
            String rolloutId = EndToEndStack.createRollout(api, rollout(release.path("id").asText(), fleet),
                    Duration.ofSeconds(60));
            agent.await("the failed install reported", Duration.ofSeconds(180),
                    () -> "FAILED".equals(actionState(api, rolloutId, device)));
        } finally {
            agent.stop();
        }
        String log = Files.readString(agent.log());
        assertThat(log).as("the delta handler refused the corrupted chunk").contains("HASH mismatch");
        assertThat(Files.mismatch(target, images.next())).as("target.img must not be v2").isNotEqualTo(-1L);
    }

    /** Per multipart part: the boundary line, Content-Type and Content-Range headers (≤ 256 bytes), and the close. */
    private static long framing(List<Zchunk.Chunk> missing) {
        return 256L * (Zchunk.ranges(missing) + 1);
    }

    private static ObjectNode rollout(String releaseId, String fleet) {
        ObjectNode body = UpdraftApi.object().put("releaseId", releaseId).put("soakTime", "PT1S");
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        body.putObject("rollbackPolicy").putObject("failedInstalls").put("off", true);
        return body;
    }

    private static SwupdateAgent agent(LocalStack stack, DeltaImages images, Path dir, String device, String token,
            Map<String, String> identity, Integer confirm) throws Exception {
        // the agent's log and config go to its device's directory; the signature is checked with the images' key
        Path certificate = Files.copy(images.certificate(), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        SwupdateAgent.Launch launch = SwupdateAgent.forDevice(device, token).gateway(gateway(stack))
                .hardware(MODEL, REVISION).verifiedBy(certificate).identify(identity);
        return (confirm == null ? launch : launch.confirm(confirm)).start();
    }

    private static String gateway(LocalStack stack) {
        return stack.service("device-gateway").url();
    }

    /** {@code POST /api/v1/delta-links} on the gateway: @return the link's path (with its key) */
    private static String mintDeltaLink(LocalStack stack, String sha256) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway(stack) + "/api/v1/delta-links"))
                .header("Authorization", "Bearer " + stack.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sha256\":\"" + sha256 + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String path = UpdraftApi.parse(response.body()).path("path").asText();
        assertThat(path).startsWith("/delta/v1/").contains(sha256 + ".zck?key=");
        return path;
    }

    /** The device's attributes as the gateway holds them. */
    private static JsonNode attributes(LocalStack stack, String device) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway(stack) + "/api/v1/devices/"
                + device)).header("Authorization", "Bearer " + stack.adminToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? UpdraftApi.parse(response.body()).path("attributes")
                : UpdraftApi.object();
    }

    /** {@code updraft_gateway_artifact_served_bytes_total{release=<id>,kind="delta-link"}} on the gateway. */
    private static double deltaLinkBytes(LocalStack stack, String releaseId) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway(stack) + "/q/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body().lines().filter(line -> line.startsWith("updraft_gateway_artifact_served_bytes_total{"))
                .filter(line -> line.contains("kind=\"delta-link\"") && line.contains("release=\"" + releaseId + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * {@code POST /api/v1/releases} (multipart) with one {@code role} text part per file, in the files' order, as
     * the delta contract has it.
     */
    private static JsonNode publish(LocalStack stack, String name, String version, List<Path> files,
            List<String> roles) throws Exception {
        ObjectNode metadata = UpdraftApi.object().put("name", name).put("version", version);
        metadata.putArray("hardware").addObject().put("model", MODEL).put("revision", REVISION);
        String boundary = "updraft-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "name=\"metadata\"\r\nContent-Type: application/json",
                metadata.toString().getBytes(StandardCharsets.UTF_8));
        for (String role : roles) {
            part(body, boundary, "name=\"role\"", role.getBytes(StandardCharsets.UTF_8));
        }
        for (Path file : files) {
            part(body, boundary, "name=\"file\"; filename=\"" + file.getFileName()
                    + "\"\r\nContent-Type: application/octet-stream", Files.readAllBytes(file));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                stack.service("release-service").url() + "/api/v1/releases"))
                .header("Authorization", "Bearer " + stack.adminToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return UpdraftApi.parse(response.body());
    }

    private static void part(ByteArrayOutputStream body, String boundary, String disposition, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static String actionState(UpdraftApi api, String rolloutId, String device) {
        for (JsonNode action : api.rolloutActions(rolloutId)) {
            if (action.path("deviceId").asText().equals(device) && !action.path("rollback").asBoolean()) {
                return action.path("state").asText();
            }
        }
        return "NONE";
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
