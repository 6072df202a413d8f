package io.updraft.e2e.netfault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device's network: a namespace of its own joined to the host by a veth pair on a /30 ({@code 10.231.N.4i+1} on
 * the host, {@code +2} in the namespace), so an agent started {@link #exec() through it} reaches the host only across
 * that link. Names carry this JVM's pid ({@code udll-<pid>-<i>}, {@code udll<pid>h<i>}): links an earlier run left
 * behind (its JVM is gone) are removed by {@link #removeStale()}, and a concurrent run's are left alone.
 *
 * <p>This kernel has no netem ({@code CONFIG_NET_SCH_NETEM} is not set), so {@link #impair} does what netem would on
 * both ends, inside the namespace: iptables' {@code statistic} match drops the given share of packets in each direction,
 * and every packet that passes is queued (NFQUEUE) to {@code link_delay.py}, which accepts it after the delay.
 */
final class DeviceLink implements AutoCloseable {
    static final String PREFIX = "udll";
    private static final Pattern SEND_BUFFER = Pattern.compile("\\btb(\\d+)");
    private static final Pattern OURS = Pattern.compile(PREFIX + "-?(\\d+)[-hd]");

    private final String namespace;
    private final String hostVeth;
    private final String deviceVeth;
    private final String hostAddress;
    private final String deviceAddress;
    private Process delay;

    private DeviceLink(int index) {
        long pid = ProcessHandle.current().pid();
        this.namespace = PREFIX + "-" + pid + "-" + index;
        this.hostVeth = PREFIX + pid + "h" + index;
        this.deviceVeth = PREFIX + pid + "d" + index;
        String subnet = "10.231." + (pid % 250) + ".";
        this.hostAddress = subnet + (4 * index + 1);
        this.deviceAddress = subnet + (4 * index + 2);
    }

    /** Creates namespace, veth pair and addresses; on any failure removes what it made. */
    static DeviceLink create(int index) throws IOException {
        DeviceLink link = new DeviceLink(index);
        try {
            run("ip", "netns", "add", link.namespace);
            run("ip", "link", "add", link.hostVeth, "type", "veth", "peer", "name", link.deviceVeth);
            run("ip", "link", "set", link.deviceVeth, "netns", link.namespace);
            run("ip", "addr", "add", link.hostAddress + "/30", "dev", link.hostVeth);
            run("ip", "link", "set", link.hostVeth, "up");
            link.inside("ip", "addr", "add", link.deviceAddress + "/30", "dev", link.deviceVeth);
            link.inside("ip", "link", "set", link.deviceVeth, "up");
            link.inside("ip", "link", "set", "lo", "up");
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** {@code lossPercent} of the packets dropped and the rest delayed by {@code delayMillis}, in each direction. */
    void impair(int lossPercent, int delayMillis, Path delayScript) throws IOException {
        delay = new ProcessBuilder(List.of("ip", "netns", "exec", namespace, "python3", delayScript.toString(), "0",
                String.valueOf(delayMillis))).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(delay.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine(); // blocks until the queue is bound: NFQUEUE without a reader drops everything
        if (!"ready".equals(first)) {
            throw new IOException("link_delay.py in " + namespace + " did not start: " + first);
        }
        String probability = String.valueOf(lossPercent / 100.0);
        for (String[] direction : new String[][] { { "INPUT", "-i" }, { "OUTPUT", "-o" } }) {
            inside("iptables", "-A", direction[0], direction[1], deviceVeth, "-m", "statistic", "--mode", "random",
                    "--probability", probability, "-j", "DROP");
            inside("iptables", "-A", direction[0], direction[1], deviceVeth, "-j", "NFQUEUE", "--queue-num", "0");
        }
    }

    /** The partition: the host end of the link goes down; nothing crosses until {@link #restore()}. */
    void cut() throws IOException {
        run("ip", "link", "set", hostVeth, "down");
    }

    void restore() throws IOException {
        run("ip", "link", "set", hostVeth, "up");
    }

    /** Bytes the host sent down this link (IP packets with their headers, retransmissions included). */
    long bytesToDevice() throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", hostVeth, "statistics/tx_bytes")).trim());
    }

    /**
     * The largest kernel send buffer ({@code skmem tb}, as {@code ss -tm} shows it) of the host's connections to this
     * device, that is the gateway's side of its downloads; 0 when none is established.
     */
    long hostSendBuffer() throws IOException {
        long largest = 0;
        Matcher tb = SEND_BUFFER.matcher(String.join("\n",
                output("ss", "-tmnH", "state", "established", "dst", deviceAddress)));
        while (tb.find()) {
            largest = Math.max(largest, Long.parseLong(tb.group(1)));
        }
        return largest;
    }

    /** The prefix that runs a command inside the namespace. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", namespace);
    }

    String namespace() {
        return namespace;
    }

    String hostAddress() {
        return hostAddress;
    }

    String deviceAddress() {
        return deviceAddress;
    }

    /** Stops the delay process and deletes the namespace (which takes the veth pair with it). */
    @Override
    public void close() {
        if (delay != null) {
            delay.destroy();
            try {
                if (!delay.waitFor(5, TimeUnit.SECONDS)) {
                    delay.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        quietly("ip", "netns", "delete", namespace);
        quietly("ip", "link", "delete", hostVeth);
    }

    /** Deletes namespaces and links with our prefix whose JVM no longer runs (a run that crashed or was killed). */
    static List<String> removeStale() throws IOException {
        List<String> removed = new ArrayList<>();
        for (String line : output("ip", "netns", "list")) {
            String name = line.split(" ")[0];
            if (isStale(name)) {
                quietly("ip", "netns", "delete", name);
                removed.add(name);
            }
        }
        for (String line : output("ip", "-o", "link", "show")) {
            String[] fields = line.split(":\\s+");
            String name = fields.length > 1 ? fields[1].split("@")[0] : "";
            if (isStale(name)) {
                quietly("ip", "link", "delete", name);
                removed.add(name);
            }
        }
        return removed;
    }

    private static boolean isStale(String name) {
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        Matcher matcher = OURS.matcher(name);
        return matcher.lookingAt() && ProcessHandle.of(Long.parseLong(matcher.group(1))).map(p -> !p.isAlive())
                .orElse(true);
    }

    private void inside(String... command) throws IOException {
        List<String> full = new ArrayList<>(exec());
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException {
        output(command);
    }

    private static void quietly(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // cleanup goes on with the next step
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> output(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (InputStream in = process.getInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + String.join("\n", lines));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return lines;
    }
}
