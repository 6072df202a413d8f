package io.updraft.e2e;

import io.updraft.launcher.LocalStack;
import java.nio.file.Path;
import java.util.Map;

/** One broker, one PostgreSQL and the four packaged services for the whole test JVM. */
final class EndToEndStack {
    private static LocalStack stack;

    static synchronized LocalStack get() {
        if (stack == null) {
            Path root = Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
            Path home = root.resolve("end-to-end-tests/target/e2e-" + ProcessHandle.current().pid());
            stack = LocalStack.start(home, root, true, false, Map.of(
                    "updraft.gateway.polling.interval", "PT1S",
                    "updraft.gateway.polling.active-interval", "PT1S",
                    "updraft.telemetry.window", "2s"));
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-stack-stop"));
        }
        return stack;
    }

    private EndToEndStack() {
    }
}
