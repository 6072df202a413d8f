package io.updraft.launcher.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code docker} command line, one call at a time: what it printed, or an exception naming what failed. */
public final class Docker {
    private final String executable;

    public Docker() {
        this(System.getenv().getOrDefault("UPDRAFT_DOCKER", "docker"));
    }

    Docker(String executable) {
        this.executable = executable;
    }

    /** Whether an engine answers ({@code docker info}). */
    public boolean available() {
        try {
            return call(Duration.ofSeconds(20), List.of("info", "--format", "{{.ServerVersion}}")).status() == 0;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Runs {@code docker args…} and returns its standard output, trimmed; fails with its error output otherwise. */
    public String run(String... args) {
        return run(Duration.ofMinutes(2), List.of(args));
    }

    public String run(Duration timeout, List<String> args) {
        Result result = call(timeout, args);
        if (result.status() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", redact(args)) + " exited " + result.status()
                    + ": " + result.err().strip());
        }
        return result.out().strip();
    }

    /** Runs {@code docker args…} and returns its status and output, whatever the status. */
    public Result call(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(args);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("updraft-docker", ".out");
            err = Files.createTempFile("updraft-docker", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("docker " + String.join(" ", redact(args)) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable + " (is the Docker CLI installed?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running docker " + args.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** {@code docker inspect -f FORMAT target}. */
    public String inspect(String target, String format) {
        return run("inspect", "-f", format, target);
    }

    /** The standard output and status of one call. */
    public record Result(int status, String out, String err) {
    }

    /** Secrets travel as {@code -e NAME=value}: a failure message shows the names only. */
    private static List<String> redact(List<String> args) {
        List<String> shown = new ArrayList<>();
        boolean env = false;
        for (String arg : args) {
            shown.add(env && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) + "=…" : arg);
            env = "-e".equals(arg);
        }
        return shown;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
