package io.updraft.e2e.netfault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.e2e.EndToEndStack;
import io.updraft.e2e.netfault.ArtifactDownloads.Download;
import io.updraft.e2e.swupdate.DeviceProvisioning;
import io.updraft.e2e.swupdate.SignedImage;
import io.updraft.e2e.swupdate.SwupdateAgent;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import io.updraft.launcher.UpdraftApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Real SWUpdate agents on lossy links: three devices, each in a network namespace of its own behind a veth pair that
 * loses 20 % of the packets and delays the rest by 300 ms in each direction, download a signed 256 KiB image through
 * a gateway whose sockets have a bounded send buffer. A quarter into each download its link goes down for 10 s. The
 * gateway closes a connection that moved no byte for its idle timeout; SWUpdate (with {@code -r}/{@code -w}: resume
 * tries and the wait between them) picks the download up where it broke with an HTTP Range request. Every device must
 * install the image, confirm it on its next start, and end with exactly one action, succeeded; the gateway's access
 * log must show each device's 206.
 */
class LossyLinkIT {
    private static final String MODEL = "lossy-board";
    private static final String REVISION = "1.0";
    private static final int DEVICES = 3;
    private static final int LOSS_PERCENT = 20;
    private static final int DELAY_MILLIS = 300;
    private static final Duration PARTITION = Duration.ofSeconds(10);
    /**
     * The test gateway's SO_SNDBUF ({@code updraft.gateway.http.send-buffer-bytes}); the kernel doubles it. Left to
     * autotuning, the gateway's kernel held 75 to 310 KB of a download at the cut: a 128 KiB image then arrived whole
     * once the link came back, with no Range request, and even 512 KiB left a margin of only about 27 KB.
     */
    private static final int SEND_BUFFER_BYTES = 16 * 1024;
    /**
     * A quarter MiB: through this link TCP moves 1 to 5 KB/s, so the download lasts minutes; at the cut (a quarter in)
     * three quarters are left, far more than the gateway can hold between its bounded socket buffer and its write
     * queue (about 100 KB), so the device must resume with a Range request.
     */
    private static final int PAYLOAD_BYTES = 256 * 1024;
    /** SWUpdate's resume settings, as a fleet on bad links would run it: 30 resumes per download, 1 s apart. */
    private static final List<String> RESUME = List.of("-r", "30", "-w", "1");
    /**
     * How long the three downloads may take, side by side, from the rollout's start. TCP through 20 % loss in each
     * direction backs off exponentially and its speed varies a lot from run to run: installs took 164 to 350 s on
     * one machine, and over 7 minutes for one device on a CI machine. Awaitility returns as soon as the image is in
     * place, so the bound costs nothing when the run is quick.
     */
    private static final Duration INSTALL_DEADLINE = Duration.ofMinutes(14);
    /** The test gateway's idle timeout: a connection stalled this long is closed, and the agent resumes. */
    private static final String IDLE_TIMEOUT = "8s";

    private static final List<DeviceLink> LINKS = new ArrayList<>();
    private static final List<SwupdateAgent> AGENTS = new ArrayList<>();
    private static ServiceProcess gateway;

    /** One device: its token, its link and the directory its namespace sees as the install root. */
    private record Device(String id, String token, DeviceLink link, Path root) {
    }

    /** What the partition of one link measured. */
    private record Cut(long bytesBefore, long gatewaySendBuffer, Duration length) {
    }

    @Test
    void everyDeviceFinishesThroughRangeResumesWithExactlyOneSuccessfulAction() throws Exception {
        DeviceProvisioning.requireTools("apt-get install -y swupdate cpio openssl iproute2 iptables python3",
                "swupdate", "openssl", "cpio", "ip", "iptables", "python3");
        List<String> stale = DeviceLink.removeStale();
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(stack.home().resolve("lossy-" + run)).toAbsolutePath();

        // given a gateway instance of its own (short idle timeout, access log on); like the packaged gateway it
        // listens on every interface, so each device reaches it at its link's host address
        Map<String, String> settings = new HashMap<>(ArtifactDownloads.ACCESS_LOG);
        settings.put("quarkus.http.idle-timeout", IDLE_TIMEOUT);
        settings.put("updraft.gateway.http.send-buffer-bytes", Integer.toString(SEND_BUFFER_BYTES));
        gateway = stack.startReplica("device-gateway", settings);

        // and a signed image that each device installs into its own root (bind-mounted in its namespace)
        Path installDir = Files.createDirectories(work.resolve("rootfs"));
        byte[] payload = new byte[PAYLOAD_BYTES];
        new Random(18).nextBytes(payload);
        SignedImage image = SignedImage.build(work, "3.0.0", REVISION, "payload.bin", payload,
                installDir.resolve("payload.bin"));
        long imageLength = Files.size(image.swu());

        // and three devices, provisioned, described, each behind its own lossy link
        List<Device> devices = provision(stack, "lossy-" + run, work);
        await("devices in the inventory").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId")
                        .containsAll(devices.stream().map(Device::id).toList()));
        String rolloutId = rollOut(api, image, "lossy-" + run);

        // when each device's agent downloads across its link, and a quarter into the download the link goes down
        long started = System.nanoTime();
        Map<Device, SwupdateAgent> installs = new LinkedHashMap<>();
        Map<Device, CompletableFuture<Cut>> cuts = new LinkedHashMap<>();
        ExecutorService faults = Executors.newFixedThreadPool(DEVICES); // each link cut on its own, side by side
        try {
            for (Device device : devices) {
                long before = device.link().bytesToDevice();
                installs.put(device, agent(device, installDir, image, null));
                cuts.put(device, CompletableFuture.supplyAsync(() -> cutMidDownload(device, before, imageLength),
                        faults));
            }
            CompletableFuture.allOf(cuts.values().toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } finally {
            faults.shutdownNow();
        }

        // then every device installs the image, whole, and tells the gateway it is proceeding (the downloads run side
        // by side, so one deadline from the start covers them all)
        Map<Device, Duration> installTimes = new LinkedHashMap<>();
        for (Device device : devices) {
            Path installed = device.root().resolve("payload.bin");
            SwupdateAgent agent = installs.get(device);
            Duration left = INSTALL_DEADLINE.minus(Duration.ofNanos(System.nanoTime() - started));
            agent.await(device.id() + "'s installed image", left.isNegative() ? Duration.ofSeconds(1) : left,
                    () -> Files.exists(installed) && Files.size(installed) == PAYLOAD_BYTES
                            && Arrays.equals(Files.readAllBytes(installed), payload));
            installTimes.put(device, Duration.ofNanos(System.nanoTime() - started));
            agent.await(device.id() + "'s proceeding feedback", Duration.ofMinutes(2),
                    () -> "RUNNING".equals(state(api, rolloutId, device)));
            agent.stop();
        }
        // and on its next start (still across the lossy link) each confirms success
        Map<Device, SwupdateAgent> confirmations = new LinkedHashMap<>();
        for (Device device : devices) {
            confirmations.put(device, agent(device, installDir, image, 2));
        }
        for (Device device : devices) {
            confirmations.get(device).await(device.id() + "'s success recorded", Duration.ofMinutes(2),
                    () -> "SUCCEEDED".equals(state(api, rolloutId, device)));
        }

        // and the gateway answered ranged requests, and the rollout holds exactly one successful action per device
        long metric206 = partialAnswersCounted();
        Map<Device, List<Download>> downloads = new LinkedHashMap<>();
        Map<Device, List<String>> actions = new LinkedHashMap<>();
        Map<Device, Map<String, Long>> outcomes = new LinkedHashMap<>();
        int lost = 0;
        int duplicated = 0;
        for (Device device : devices) {
            downloads.put(device, ArtifactDownloads.of(gateway.log(), device.id()));
            actions.put(device, actions(api, rolloutId, device));
            outcomes.put(device, outcomes(api, device));
            lost += actions.get(device).contains("SUCCEEDED") ? 0 : 1;
            duplicated += Math.max(0, actions.get(device).size() - 1);
        }
        StringBuilder report = header(stale, imageLength);
        for (Device device : devices) {
            Cut cut = cuts.get(device).get();
            List<Download> served = downloads.get(device);
            report.append(String.format("%-18s %-14s %9d %7d %10.1fs %11d %4d/%-3d %10d %8.0fs %s / %s%n", device.id(),
                    device.link().namespace(), cut.bytesBefore(), cut.gatewaySendBuffer(),
                    cut.length().toMillis() / 1000.0,
                    device.link().bytesToDevice(), served.size(), served.stream().filter(Download::ranged).count(),
                    served.stream().mapToLong(Download::bytes).sum(), installTimes.get(device).toMillis() / 1000.0,
                    actions.get(device), outcomes.get(device)));
        }
        report.append("206 answers on the download route (the gateway's http_server_requests metric): ")
                .append(metric206).append('\n').append("actions lost: ").append(lost).append(", duplicated: ")
                .append(duplicated).append('\n').append("=".repeat(120)).append('\n');
        System.out.println(report);

        for (Device device : devices) {
            assertThat(cuts.get(device).get().bytesBefore()).as(device.id() + ": cut in the middle of the download")
                    .isLessThan(imageLength);
            assertThat(cuts.get(device).get().gatewaySendBuffer())
                    .as(device.id() + ": the gateway's socket send buffer at the cut (the setting, doubled by Linux)")
                    .isEqualTo(2L * SEND_BUFFER_BYTES);
            assertThat(downloads.get(device)).as(device.id() + ": the download resumed with Range, answered 206")
                    .anyMatch(Download::ranged);
            assertThat(actions.get(device)).as(device.id() + ": exactly one action, succeeded")
                    .containsExactly("SUCCEEDED");
            assertThat(outcomes.get(device)).as(device.id() + ": one success and no failure in its history")
                    .containsEntry("ACTION_SUCCEEDED", 1L).doesNotContainKeys("ACTION_FAILED", "ACTION_BOOT_FAILED");
        }
        assertThat(metric206).as("206 answers counted by the gateway's own metric").isGreaterThanOrEqualTo(DEVICES);
        assertThat(lost + duplicated).as("lost + duplicated actions").isZero();
    }

    private static List<Device> provision(LocalStack stack, String fleet, Path work) throws Exception {
        Path delayScript = work.resolve("link_delay.py");
        try (InputStream script = LossyLinkIT.class.getResourceAsStream("/netfault/link_delay.py")) {
            Files.copy(script, delayScript);
        }
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String id = fleet + "-" + (i + 1);
            String token = DeviceProvisioning.targetToken(stack, id);
            DeviceProvisioning.describe(stack, id, token, MODEL, REVISION, fleet);
            DeviceLink link = DeviceLink.create(i);
            LINKS.add(link);
            link.impair(LOSS_PERCENT, DELAY_MILLIS, delayScript);
            devices.add(new Device(id, token, link, Files.createDirectories(work.resolve("device-" + (i + 1)))));
        }
        return devices;
    }

    /** Publishes the image for our hardware and rolls it out to the whole fleet in one wave: the rollout's id. */
    private static String rollOut(UpdraftApi api, SignedImage image, String fleet) throws Exception {
        JsonNode release = api.publishRelease(fleet + "-firmware", "3.0.0",
                List.of(new UpdraftApi.Hardware(MODEL, REVISION)),
                List.of(new UpdraftApi.Artifact("firmware-3.0.0.swu", Files.readAllBytes(image.swu()))));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("soakTime", "PT1S");
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        return EndToEndStack.createRollout(api, body, Duration.ofMinutes(2));
    }

    /** Once a quarter of the image has crossed the link, takes it down for {@link #PARTITION}, then up again. */
    private static Cut cutMidDownload(Device device, long before, long imageLength) {
        DeviceLink link = device.link();
        try {
            await(device.id() + " a quarter into its download").atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> link.bytesToDevice() - before > imageLength / 4);
            long bytes = link.bytesToDevice() - before;
            long sendBuffer = link.hostSendBuffer();
            long down = System.nanoTime();
            link.cut();
            // the link comes back when the partition's time is up (a fault's length, not a wait for a condition)
            CompletableFuture.runAsync(() -> {
                try {
                    link.restore();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, CompletableFuture.delayedExecutor(PARTITION.toMillis(), TimeUnit.MILLISECONDS)).join();
            return new Cut(bytes, sendBuffer, Duration.ofNanos(System.nanoTime() - down));
        } catch (Exception e) {
            throw new IllegalStateException(device.id() + ": " + e.getMessage(), e);
        }
    }

    /** The device's agent, inside its namespace, with its own root bind-mounted where the image installs. */
    private static SwupdateAgent agent(Device device, Path installDir, SignedImage image, Integer confirm)
            throws Exception {
        List<String> wrapper = new ArrayList<>(device.link().exec());
        wrapper.addAll(List.of("sh", "-c", "mount --bind \"$0\" \"$1\" && shift && exec \"$@\"",
                device.root().toString(), installDir.toString()));
        SwupdateAgent.Launch launch = SwupdateAgent.forDevice(device.id(), device.token())
                .gateway("http://" + device.link().hostAddress() + ":" + gateway.port()).hardware(MODEL, REVISION)
                .verifiedBy(image.certificate()).suricatta(RESUME.toArray(String[]::new)).through(wrapper);
        SwupdateAgent agent = (confirm == null ? launch : launch.confirm(confirm)).start();
        AGENTS.add(agent);
        return agent;
    }

    private static StringBuilder header(List<String> stale, long imageLength) {
        return new StringBuilder("\n===== LossyLinkIT: real SWUpdate agents on lossy links =====\n")
                .append("stale namespaces/links removed first: ").append(stale.isEmpty() ? "none" : stale).append('\n')
                .append("link: veth pair per device namespace, ").append(LOSS_PERCENT).append(" % loss and ")
                .append(DELAY_MILLIS).append(" ms delay in each direction (iptables statistic + NFQUEUE delay)\n")
                .append("partition: host end of the link down for ").append(PARTITION.toSeconds())
                .append(" s, a quarter into the download; gateway idle timeout ").append(IDLE_TIMEOUT)
                .append(", send buffer ").append(SEND_BUFFER_BYTES).append(" bytes")
                .append("; suricatta ").append(String.join(" ", RESUME)).append('\n')
                .append("image: ").append(imageLength).append(" bytes (.swu; payload ").append(PAYLOAD_BYTES)
                .append(")\n")
                .append("columns: link bytes before the cut; the gateway's socket send buffer then; partition length; "
                        + "all bytes the host sent down the link; "
                        + "download answers / of them 206 to a Range; bytes the gateway wrote in those answers; "
                        + "seconds to the installed image; the rollout's actions / the device history's outcomes\n")
                .append(String.format("%-18s %-14s %9s %7s %11s %11s %8s %10s %9s %s%n", "device", "namespace",
                        "cut at", "sndbuf", "partition", "link bytes", "GET/206", "written", "install",
                        "actions / history"));
    }

    private static String state(UpdraftApi api, String rolloutId, Device device) {
        List<String> states = actions(api, rolloutId, device);
        return states.isEmpty() ? "NONE" : states.get(0);
    }

    private static List<String> actions(UpdraftApi api, String rolloutId, Device device) {
        return StreamSupport.stream(api.rolloutActions(rolloutId).spliterator(), false)
                .filter(action -> action.path("deviceId").asText().equals(device.id()))
                .map(action -> action.path("state").asText()).toList();
    }

    /** How many of each action outcome the device's history records. */
    private static Map<String, Long> outcomes(UpdraftApi api, Device device) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String type : api.deviceHistory(device.id(), "limit=1000").path("entries").findValuesAsText("type")) {
            if (type.equals("ACTION_SUCCEEDED") || type.equals("ACTION_FAILED") || type.equals("ACTION_BOOT_FAILED")) {
                counts.merge(type, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The test gateway's {@code http_server_requests} count of 206 answers on the artifact download route. */
    private static long partialAnswersCounted() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gateway.url() + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return (long) metrics.body().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .filter(line -> line.contains("status=\"206\"") && line.contains("/artifacts/{filename}"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Agents, namespaces (with their veth pairs and delay processes) and the test gateway go, even after a failure. */
    @AfterAll
    static void cleanUp() {
        for (SwupdateAgent agent : AGENTS) {
            try {
                agent.stop();
            } catch (Exception e) {
                System.err.println("stopping an agent: " + e);
            }
        }
        LINKS.forEach(DeviceLink::close);
        if (gateway != null) {
            gateway.stop();
        }
    }
}
