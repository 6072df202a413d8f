package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The real device agent: Debian's SWUpdate with its hawkBit suricatta module, unchanged, against the packaged
 * services. A CMS-signed {@code .swu} (throwaway key and certificate made here with openssl) is published, rolled out
 * to two devices; SWUpdate downloads it through the gateway, verifies its signature and hardware compatibility and
 * installs it. With no bootloader to keep its state, it confirms the result on its next start: {@code -c 2} (success)
 * for one device, {@code -c 3} (failure) for the other, and rollout-service records both.
 */
class SwupdateAgentIT {
    private static final String MODEL = "board";
    private static final String REVISION = "1.0";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRealSwupdateAgentInstallsTheRolledOutReleaseAndItsConfirmationIsRecorded() throws Exception {
        for (String tool : List.of("swupdate", "openssl", "cpio")) {
            assertThat(onPath(tool)).as(tool + " must be installed (apt-get install -y swupdate cpio openssl)").isTrue();
        }
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(stack.home().resolve("swupdate-" + run)).toAbsolutePath();
        Path installed = Files.createDirectories(work.resolve("rootfs")).resolve("payload.txt");
        String payload = "Updraft firmware 1.0.1 for run " + run + "\n";
        Path swu = signedImage(work, payload, installed);

        // given two devices provisioned with their own target tokens and described as board 1.0
        String fleet = "swu-" + run;
        String first = fleet + "-1";
        String second = fleet + "-2";
        String firstToken = provision(stack, first);
        String secondToken = provision(stack, second);
        describe(stack, first, firstToken, fleet);
        describe(stack, second, secondToken, fleet);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&size=1000").findValuesAsText("deviceId")
                        .containsAll(List.of(first, second)));

        // and a CMS-signed release for that hardware, rolled out to both
        JsonNode release = api.publishRelease("swu-firmware-" + run, "1.0.1",
                List.of(new UpdraftApi.Hardware(MODEL, REVISION)),
                List.of(new UpdraftApi.Artifact("firmware-1.0.1.swu", Files.readAllBytes(swu))));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("soakTime", "PT1S");
        body.putObject("target").put("fleet", fleet);
        body.putArray("waves").add(100);
        // the boot-failure rule decides this cohort: one device that fails after its reboot is enough
        ObjectNode policy = body.putObject("rollbackPolicy");
        policy.putObject("failedInstalls").put("off", true);
        policy.putObject("bootFailures").put("count", 1);
        String rolloutId = EndToEndStack.createRollout(api, body, Duration.ofSeconds(30));

        // when SWUpdate runs for the first device: it downloads, verifies and installs the image
        Agent agent = swupdate(stack, work, first, firstToken, null);
        try {
            agent.await("the file the image installs", Duration.ofSeconds(90),
                    () -> Files.exists(installed) && Files.readString(installed).equals(payload));
            agent.await("proceeding feedback", Duration.ofSeconds(30),
                    () -> "RUNNING".equals(actionState(api, rolloutId, first)));
        } finally {
            agent.stop();
        }
        // and on its next start it confirms success (-c 2)
        agent = swupdate(stack, work, first, firstToken, 2);
        try {
            agent.await("success recorded", Duration.ofSeconds(60),
                    () -> "SUCCEEDED".equals(actionState(api, rolloutId, first)));
        } finally {
            agent.stop();
        }
        await("inventory updated").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "1.0.1".equals(api.devices("model=" + MODEL + "&size=1000").findParents("deviceId")
                        .stream().filter(d -> d.path("deviceId").asText().equals(first)).findFirst()
                        .map(d -> d.path("installedVersion").asText()).orElse("")));

        // then a second device that installs and confirms failure (-c 3) is recorded as failed
        Files.delete(installed);
        agent = swupdate(stack, work, second, secondToken, null);
        try {
            agent.await("the second device's install", Duration.ofSeconds(90),
                    () -> Files.exists(installed) && "RUNNING".equals(actionState(api, rolloutId, second)));
            // what SWUpdate tells before it would reboot: the image is written
            agent.await("the second device's 'All Chunks Installed.'", Duration.ofSeconds(60),
                    () -> api.deviceHistory(second, "limit=1000").path("entries").findValuesAsText("details")
                            .stream().anyMatch(details -> details.contains("All Chunks Installed")));
        } finally {
            agent.stop();
        }
        agent = swupdate(stack, work, second, secondToken, 3);
        try {
            agent.await("failure recorded", Duration.ofSeconds(60),
                    () -> "FAILED".equals(actionState(api, rolloutId, second)));
        } finally {
            agent.stop();
        }
        assertThat(actionState(api, rolloutId, first)).isEqualTo("SUCCEEDED");

        // and, since it had said "All Chunks Installed." before its reboot, the failure counts as a boot failure:
        // the device's history says so, and telemetry's boot-failure rule rolls the cohort back
        await("boot failure in the device's history").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300)).until(() -> api.deviceHistory(second, "limit=1000")
                        .path("entries").findValuesAsText("type").contains("ACTION_BOOT_FAILED"));
        JsonNode decision = await("the boot-failure rule's verdict").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300)).until(() -> api.rollbacks(rolloutId).path(0),
                        d -> !d.isMissingNode());
        assertThat(decision.path("rule").asText()).isEqualTo("bootFailures");
        assertThat(decision.path("reason").asText()).startsWith("bootFailures: 1 of 2 devices failed to boot");
        assertThat(decision.path("devicesCounted").asLong()).isEqualTo(1);
    }

    /** sw-description with the payload's sha256 and hardware compatibility, CMS-signed, packed as cpio (crc). */
    private static Path signedImage(Path work, String payload, Path installTo) throws Exception {
        exec(work, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                "cert.pem", "-subj", "/CN=updraft-e2e", "-days", "1", "-addext", "extendedKeyUsage=emailProtection");
        Files.writeString(work.resolve("payload.txt"), payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                Files.readAllBytes(work.resolve("payload.txt"))));
        Files.writeString(work.resolve("sw-description"), """
                software =
                {
                    version = "1.0.1";
                    hardware-compatibility: [ "%s" ];
                    files: (
                        {
                            filename = "payload.txt";
                            path = "%s";
                            sha256 = "%s";
                        }
                    );
                }
                """.formatted(REVISION, installTo, sha256));
        exec(work, "openssl", "cms", "-sign", "-in", "sw-description", "-out", "sw-description.sig", "-signer",
                "cert.pem", "-inkey", "key.pem", "-outform", "DER", "-nosmimecap", "-binary");
        Path swu = work.resolve("firmware-1.0.1.swu");
        Process cpio = new ProcessBuilder("cpio", "-o", "-H", "crc").directory(work.toFile())
                .redirectOutput(swu.toFile()).redirectError(work.resolve("cpio.log").toFile()).start();
        cpio.getOutputStream().write("sw-description\nsw-description.sig\npayload.txt\n".getBytes());
        cpio.getOutputStream().close();
        assertThat(cpio.waitFor()).as("cpio").isZero();
        return swu;
    }

    /**
     * {@code swupdate -v -k cert.pem -H board:1.0 -u "-t DEFAULT -u <gateway> -i <device> -k <token> -p 1 [-c N]"},
     * each run with its own short TMPDIR under {@code java.io.tmpdir}: its control sockets never meet another run's,
     * and their paths stay within the 107 bytes a Unix socket address holds however deep the checkout is (under a
     * longer build directory, SWUpdate could not bind {@code sockinstctrl} and never polled).
     */
    private static Agent swupdate(LocalStack stack, Path work, String device, String token, Integer confirm)
            throws IOException {
        String suricatta = "-t DEFAULT -u " + stack.service("device-gateway").url() + " -i " + device + " -k " + token
                + " -p 1" + (confirm == null ? "" : " -c " + confirm);
        String phase = device + "-" + (confirm == null ? "install" : "confirm-" + confirm);
        Path tmp = Files.createTempDirectory("swu");
        List<String> command = new ArrayList<>(List.of("swupdate", "-v", "-k", work.resolve("cert.pem").toString(),
                "-H", MODEL + ":" + REVISION, "-u", suricatta));
        Path log = work.resolve("swupdate-" + phase + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("TMPDIR", tmp.toString());
        return new Agent(builder.start(), log, tmp);
    }

    /** A running SWUpdate, its log (quoted when a wait for it fails) and its private TMPDIR. */
    private record Agent(Process process, Path log, Path tmp) {
        /** Waits for {@code condition}; on timeout fails with the agent's last log lines, which say why. */
        void await(String what, Duration atMost, Callable<Boolean> condition) throws IOException {
            try {
                Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(condition);
            } catch (ConditionTimeoutException e) {
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError(what + " not reached within " + atMost + "; swupdate ("
                        + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") last logged:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
            }
        }

        void stop() throws Exception {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String actionState(UpdraftApi api, String rolloutId, String device) {
        for (JsonNode action : api.rolloutActions(rolloutId)) {
            if (action.path("deviceId").asText().equals(device) && !action.path("rollback").asBoolean()) {
                return action.path("state").asText();
            }
        }
        return "NONE";
    }

    /** A target token per device, provisioned through the gateway's management API. */
    private static String provision(LocalStack stack, String device) throws Exception {
        String token = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(stack.service("device-gateway").url() + "/api/v1/devices/" + device + "/token"))
                .header("Authorization", "Bearer " + stack.adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        return token;
    }

    /** The hardware description a provisioning step would write (suricatta itself sends no model). */
    private static void describe(LocalStack stack, String device, String token, String fleet) throws Exception {
        String body = "{\"mode\":\"merge\",\"data\":{\"model\":\"" + MODEL + "\",\"revision\":\"" + REVISION
                + "\",\"fleet\":\"" + fleet + "\"}}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.service("device-gateway").url()
                + "/DEFAULT/controller/v1/" + device + "/configData"))
                .header("Authorization", "TargetToken " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void exec(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + ".log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
