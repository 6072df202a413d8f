package io.updraft.e2e.swupdate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A running SWUpdate with its hawkBit suricatta module: {@code swupdate -v -k cert.pem -H model:rev -u "-t DEFAULT -u
 * <gateway> -i <device> -k <token> -p 1 [-c N] [options]"}, started with SIGPIPE ignored as under systemd; its log
 * (quoted when a wait for it fails) and its private TMPDIR. Each run has its own short TMPDIR under
 * {@code java.io.tmpdir}: its control sockets never meet another run's, and their paths stay within the 107 bytes a
 * Unix socket address holds however deep the checkout is (under a longer build directory, SWUpdate could not bind
 * {@code sockinstctrl} and never polled).
 */
public record SwupdateAgent(Process process, Path log, Path tmp) {

    public static Launch forDevice(String device, String targetToken) {
        return new Launch(device, targetToken);
    }

    /** What one agent run is started with. */
    public static final class Launch {
        private final String device;
        private final String token;
        private String gatewayUrl;
        private String hardware;
        private Path certificate;
        private Path workDir;
        private Integer confirm;
        private final List<String> suricattaOptions = new ArrayList<>();
        private final List<String> wrapper = new ArrayList<>();
        private final Map<String, String> identify = new LinkedHashMap<>();

        private Launch(String device, String token) {
            this.device = device;
            this.token = token;
        }

        public Launch gateway(String url) {
            this.gatewayUrl = url;
            return this;
        }

        public Launch hardware(String model, String revision) {
            this.hardware = model + ":" + revision;
            return this;
        }

        /** The certificate that signed the image; the agent's log goes to the same directory. */
        public Launch verifiedBy(Path certificate) {
            this.certificate = certificate;
            this.workDir = certificate.getParent();
            return this;
        }

        /** {@code -c N}: the result of the last install, told on start (2 success, 3 failure). */
        public Launch confirm(int result) {
            this.confirm = result;
            return this;
        }

        /** More suricatta options, e.g. {@code -r 30 -w 1} (resume tries, seconds between them). */
        public Launch suricatta(String... options) {
            suricattaOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Entries of the configuration file's {@code identify} section: suricatta sends them as the device's
         * attributes (configData) while the gateway asks for them.
         */
        public Launch identify(Map<String, String> entries) {
            identify.putAll(entries);
            return this;
        }

        /** Runs the agent through {@code command} (e.g. {@code ip netns exec <ns>}). */
        public Launch through(List<String> command) {
            wrapper.addAll(command);
            return this;
        }

        public SwupdateAgent start() throws IOException {
            String suricatta = "-t DEFAULT -u " + gatewayUrl + " -i " + device + " -k " + token + " -p 1"
                    + (confirm == null ? "" : " -c " + confirm)
                    + (suricattaOptions.isEmpty() ? "" : " " + String.join(" ", suricattaOptions));
            String phase = device + "-" + (confirm == null ? "install" : "confirm-" + confirm);
            Path tmp = Files.createTempDirectory("swu");
            List<String> command = new ArrayList<>(wrapper);
            // SIGPIPE ignored, as systemd starts every service (IgnoreSIGPIPE=yes), Debian's swupdate.service too: a
            // connection the server closes under SWUpdate then fails a write instead of killing the agent (exit 141)
            command.addAll(List.of("sh", "-c", "trap '' PIPE && exec \"$@\"", "sh"));
            command.addAll(List.of("swupdate", "-v", "-k", certificate.toString(), "-H", hardware));
            if (!identify.isEmpty()) {
                Path config = workDir.resolve("swupdate-" + phase + ".cfg");
                Files.writeString(config, identifySection(identify));
                command.addAll(List.of("-f", config.toString()));
            }
            command.addAll(List.of("-u", suricatta));
            Path log = workDir.resolve("swupdate-" + phase + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("TMPDIR", tmp.toString());
            return new SwupdateAgent(builder.start(), log, tmp);
        }
    }

    /**
     * A configuration file with a libconfig {@code identify} list of name/value pairs, as in SWUpdate's example
     * swupdate.cfg, and the {@code globals} section SWUpdate refuses to start without ("'globals' section missing").
     */
    static String identifySection(Map<String, String> entries) {
        List<String> items = new ArrayList<>();
        entries.forEach((name, value) -> items.add("    { name = \"" + name + "\"; value = \"" + value + "\"; }"));
        return "globals : {\n    verbose = true;\n};\nidentify : (\n" + String.join(",\n", items) + "\n);\n";
    }

    /**
     * Installs {@code swu} as a local file ({@code swupdate -v -k <certificate> -H <hardware> -i <swu>}, own TMPDIR,
     * SIGPIPE ignored), its log to {@code log}: @return its exit code (0: installed)
     */
    public static int installFile(Path swu, Path certificate, String hardware, Path log, Duration atMost)
            throws Exception {
        Path tmp = Files.createTempDirectory("swu");
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", "trap '' PIPE && exec \"$@\"", "sh", "swupdate",
                    "-v", "-k", certificate.toString(), "-H", hardware, "-i", swu.toString())
                    .directory(swu.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("TMPDIR", tmp.toString());
            Process process = builder.start();
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("swupdate -i " + swu + " still ran after " + atMost);
            }
            process.descendants().forEach(ProcessHandle::destroy); // its chunks downloader, should it outlive it
            return process.exitValue();
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Whether a {@link #installFile local install} succeeded, from its exit status and its log. SWUpdate 2022.12 can
     * exit 1 after a successful install that used the delta handler (2 runs in 7 here, logs identical to the runs that
     * exited 0). The likely cause, from its source: its {@code chunks_downloader} subprocess exits 1 once the
     * installer's socket closes at shutdown, and the SIGCHLD handler ({@code core/pctl.c}) copies a child's status into
     * the global exit code {@code main} returns. So
     * 0 is success, and 1 is success only when the installer itself reported it ({@code endupdate}: "SWUpdate was
     * successful") and nothing failed; any other status, or a log without that line, is a failure.
     */
    public static boolean installSucceeded(int exit, Path log) throws IOException {
        String text = Files.readString(log);
        boolean reported = text.contains("SWUpdate was successful") && !text.contains("SWUpdate *failed*")
                && !text.contains("[ERROR]");
        if (exit == 1 && reported) {
            System.out.println("swupdate -i exited 1 after reporting success (its chunks_downloader's exit at shutdown)");
        }
        return reported && (exit == 0 || exit == 1);
    }

    /** Waits for {@code condition}; on timeout fails with the agent's last log lines, which say why. */
    public void await(String what, Duration atMost, Callable<Boolean> condition) throws IOException {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " not reached within " + atMost + "; " + describe(), e);
        }
    }

    /** Whether it runs, and its last 40 log lines. */
    public String describe() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return "swupdate (" + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") last logged:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Stops it and its children (TERM, then KILL after 10 s) and removes its TMPDIR; again is harmless. */
    public void stop() throws Exception {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (!Files.exists(tmp)) {
            return; // stopped before
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
