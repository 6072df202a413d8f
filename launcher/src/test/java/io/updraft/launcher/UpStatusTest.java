package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./updraft status} reads what {@code up} recorded: it names the console's address and how to sign in while
 * the console's process lives, and says it is not running when that process is gone (while the stack still runs).
 */
class UpStatusTest {
    @TempDir
    Path root;

    @Test
    void a_running_console_is_printed_with_its_address_and_the_sign_in_hint() throws IOException {
        Path home = record(ProcessHandle.current().pid());

        String printed = status(home);

        assertThat(printed).contains("console: http://localhost:8080/ — sign in with a token from ./updraft token")
                .contains("log .updraft/local/logs/console.log")
                .contains("rollout-service  http://127.0.0.1:8082");
    }

    @Test
    void a_console_whose_process_is_gone_is_reported_as_not_running() throws IOException {
        Path home = record(deadPid());

        String printed = status(home);

        assertThat(printed).contains("console: not running").doesNotContain("sign in with a token");
    }

    @Test
    void nothing_recorded_is_not_running() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Updraft.status(root, root.resolve(Updraft.UP_HOME), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("not running");
    }

    private String status(Path home) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Updraft.status(root, home, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A run.properties as up writes it; the stack's pid is this JVM's, so the stack counts as running. */
    private Path record(long consolePid) throws IOException {
        Path home = Files.createDirectories(root.resolve(Updraft.UP_HOME));
        Properties state = new Properties();
        state.setProperty("pid.stack", String.valueOf(ProcessHandle.current().pid()));
        state.setProperty("kafka", "127.0.0.1:9092");
        state.setProperty("postgres", "127.0.0.1:5432");
        int port = 8081;
        for (String service : LocalStack.SERVICES) {
            state.setProperty("url." + service, "http://127.0.0.1:" + port++);
        }
        state.setProperty("gateway-token", "t");
        state.setProperty("pid.console", String.valueOf(consolePid));
        state.setProperty("url.console", "http://localhost:8080/");
        try (OutputStream out = Files.newOutputStream(home.resolve("run.properties"))) {
            state.store(out, "test");
        }
        return home;
    }

    /** The pid of a process that has exited. */
    private static long deadPid() {
        try {
            Process process = new ProcessBuilder("true").start();
            process.waitFor();
            return process.pid();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
