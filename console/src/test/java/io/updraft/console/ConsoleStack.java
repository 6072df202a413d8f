package io.updraft.console;

import io.updraft.devstack.DevStack;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The four packaged services (LocalStack, as the end-to-end tests start them) and the packaged console in front of
 * them, as its own process: what {@code ./updraft up} would run. One per test JVM.
 */
final class ConsoleStack {
    private static ConsoleStack instance;

    final LocalStack services;
    final ServiceProcess console;

    private ConsoleStack(LocalStack services, ServiceProcess console) {
        this.services = services;
        this.console = console;
    }

    static synchronized ConsoleStack get() {
        if (instance == null) {
            Path root = Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
            Path home = root.resolve("console/target/console-it-" + ProcessHandle.current().pid());
            LocalStack services = LocalStack.start(home, root, true, false, Map.of(
                    "updraft.gateway.polling.interval", "PT1S",
                    "updraft.gateway.polling.active-interval", "PT1S",
                    "updraft.telemetry.window", "2s"));
            ServiceProcess console;
            try {
                console = new ServiceProcess("console", DevStack.freePort(), root, home.resolve("logs"), Map.of(
                        "updraft.console.release-url", services.service("release-service").url(),
                        "updraft.console.rollout-url", services.service("rollout-service").url(),
                        "updraft.console.gateway-url", services.service("device-gateway").url(),
                        "updraft.console.telemetry-url", services.service("telemetry-service").url(),
                        "updraft.parent-pid", String.valueOf(ProcessHandle.current().pid()))).start();
                console.awaitReady(Duration.ofSeconds(120));
            } catch (IOException e) {
                services.close();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                services.close();
                throw e;
            }
            instance = new ConsoleStack(services, console);
            ConsoleStack started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.console.stop();
                started.services.close();
            }, "console-stack-stop"));
        }
        return instance;
    }

    String url() {
        return console.url();
    }

    /** A bearer token as {@code ./updraft token} mints it, for one subject and the given roles. */
    String token(String subject, String... roles) {
        return services.keys().tokens().mint(subject, Duration.ofHours(1), roles);
    }
}
