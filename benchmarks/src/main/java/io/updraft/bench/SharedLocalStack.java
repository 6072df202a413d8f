package io.updraft.bench;

import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@link LocalStack} (broker, PostgreSQL and the four packaged services) for the benchmarks that run against all
 * four services — end to end, CLI calls, delta updates — started by the first of them that runs and stopped after the
 * last: each start is about 45 s of a run on this machine, and none of them needs a fresh stack (their fleets,
 * releases and rollouts have prefixes of their own). Started with the settings all of them need ({@link #tuning}); if
 * a start fails, the next benchmark that needs the stack tries again.
 */
final class SharedLocalStack implements AutoCloseable {
    private final Path root;
    private final Path work;
    private final Map<String, String> tuning;
    private final Consumer<String> say;
    private LocalStack stack;
    private double startSeconds;

    /** @param pollInterval the gateway's polling interval (the end-to-end fleet's, see {@link #tuning}) */
    SharedLocalStack(Path root, Path work, long pollInterval, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.tuning = tuning(pollInterval);
        this.say = say;
    }

    /**
     * What the three benchmarks set: the end-to-end fleet's polling interval, 2 s while something is pending, and
     * telemetry's 2 s window; the delta benchmark's 200 ranges per GET. The delta device polls every second on its
     * own and has its deployment pending from its first poll, so the 2 s active interval only spaces its polls.
     */
    static Map<String, String> tuning(long pollInterval) {
        Map<String, String> tuning = new LinkedHashMap<>();
        tuning.put("updraft.gateway.polling.interval", "PT" + pollInterval + "S");
        tuning.put("updraft.gateway.polling.active-interval", "PT2S");
        tuning.put("updraft.telemetry.window", "2s");
        tuning.put("updraft.gateway.artifacts.max-ranges", "200");
        return tuning;
    }

    /** The running stack; starts it on the first call. */
    synchronized LocalStack get() throws Exception {
        if (stack == null) {
            Path home = work.resolve("home");
            AppSnapshot.deleteRecursively(home);
            long started = System.nanoTime();
            try {
                Path apps = AppSnapshot.of(root, work.resolve("apps"), LocalStack.SERVICES);
                stack = LocalStack.start(home, apps, true, false, tuning);
            } finally {
                startSeconds += (System.nanoTime() - started) / 1e9;
            }
            say.accept(String.format("shared stack: broker, PostgreSQL and 4 services ready in %.0f s (%s)",
                    (System.nanoTime() - started) / 1e9, tuning));
        }
        return stack;
    }

    /** The seconds spent starting the stack (a failed start too) since the last call: the suite's budget row. */
    synchronized double takeStartSeconds() {
        double seconds = startSeconds;
        startSeconds = 0;
        return seconds;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (stack != null) {
            // measured; nothing of this stack is kept, so no graceful shutdown to wait for
            for (ServiceProcess service : stack.services().values()) {
                service.kill9();
            }
            stack.close();
            stack = null;
        }
    }
}
