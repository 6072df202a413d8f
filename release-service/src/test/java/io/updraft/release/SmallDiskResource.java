package io.updraft.release;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real filesystem that fills up, for the artifact store: a tmpfs of {@link #SIZE} bytes mounted at {@link #DIR}
 * and given to the service as {@code updraft.storage.dir}. Mounting needs root (CI runs as root); without it the
 * Quarkus boot fails with a message saying so — the test is never skipped. Unmounted when the resource stops, and by
 * a shutdown hook if the JVM ends first; a mount left by a killed run is removed before mounting again.
 */
public class SmallDiskResource implements QuarkusTestResourceLifecycleManager {
    public static final Path DIR = Path.of("target/test-data/small-disk").toAbsolutePath().normalize();
    public static final long SIZE = 8L * 1024 * 1024;

    private Thread unmountAtExit;

    @Override
    public Map<String, String> start() {
        try {
            if (mounted()) {
                unmount();
            }
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + DIR, e);
        }
        Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0755", "tmpfs", DIR.toString());
        if (mount.code() != 0 || !mounted()) {
            throw new IllegalStateException("StorageFullIT needs a real small filesystem: it mounts a tmpfs of " + SIZE
                    + " bytes at " + DIR + " and could not (user " + System.getProperty("user.name") + "; `mount` said: "
                    + mount.output().strip() + "). Run it as root, as CI does; it is not skipped.");
        }
        unmountAtExit = new Thread(SmallDiskResource::unmount, "unmount-small-disk");
        Runtime.getRuntime().addShutdownHook(unmountAtExit);
        return Map.of("updraft.storage.dir", DIR.toString());
    }

    @Override
    public void stop() {
        unmount();
        if (unmountAtExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(unmountAtExit);
            } catch (IllegalStateException exiting) {
                // the hook is running or has run: it unmounts too
            }
        }
    }

    /** Unmounts {@link #DIR}; lazily if something still holds a file open there (the JVM is ending). */
    static void unmount() {
        if (!mounted()) {
            return;
        }
        if (run("umount", DIR.toString()).code() != 0) {
            run("umount", "-l", DIR.toString());
        }
        if (mounted()) {
            throw new IllegalStateException("could not unmount the tmpfs at " + DIR + "; run: umount -l " + DIR);
        }
    }

    static boolean mounted() {
        try {
            // /proc/self/mounts escapes a space in a mount point as \040
            String point = DIR.toString().replace(" ", "\\040");
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 1 && fields[1].equals(point));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mounts", e);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
