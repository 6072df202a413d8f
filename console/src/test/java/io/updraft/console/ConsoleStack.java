package io.updraft.console;

import io.updraft.devstack.DevStack;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The four packaged services (LocalStack, as the end-to-end tests start them) and the packaged console in front of
 * them, as its own process: what {@code ./updraft up} would run. One per test JVM.
 */
final class ConsoleStack {
    private static ConsoleStack instance;

    final LocalStack services;
    final ServiceProcess console;
    final FakeOidcProvider idp;

    private ConsoleStack(LocalStack services, ServiceProcess console, FakeOidcProvider idp) {
        this.services = services;
        this.console = console;
        this.idp = idp;
    }

    static synchronized ConsoleStack get() {
        if (instance == null) {
            Path root = Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
            Path home = root.resolve("console/target/console-it-" + ProcessHandle.current().pid());
            Path servicesRoot = snapshot(root, home.resolve("services"));
            LocalStack services = LocalStack.start(home, servicesRoot, true, false, Map.of(
                    "updraft.gateway.polling.interval", "PT1S",
                    "updraft.gateway.polling.active-interval", "PT1S",
                    "updraft.telemetry.window", "2s"));
            ServiceProcess console;
            FakeOidcProvider idp = null;
            try {
                idp = new FakeOidcProvider(services.keys().tokens(), "oidc-olga", "viewer", "operator");
                int port = DevStack.freePort();
                idp.allowOrigin("http://127.0.0.1:" + port);
                console = new ServiceProcess("console", port, root, home.resolve("logs"), Map.of(
                        "updraft.console.oidc.issuer", idp.issuer(),
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
                if (idp != null) {
                    idp.close();
                }
                services.close();
                throw e;
            }
            instance = new ConsoleStack(services, console, idp);
            ConsoleStack started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.console.stop();
                started.services.close();
            }, "console-stack-stop"));
        }
        return instance;
    }

    /**
     * Hard links of the four packaged services under {@code into}/&lt;service&gt;/target/quarkus-app: a rebuild of a
     * service in the shared work tree while these tests run (other builds share it) replaces its files, and the
     * running service would load a class from a jar that is gone. The links keep the files these processes started with.
     */
    private static Path snapshot(Path root, Path into) {
        try {
            for (String service : LocalStack.SERVICES) {
                Path from = root.resolve(service).resolve("target/quarkus-app");
                Path to = into.resolve(service).resolve("target/quarkus-app");
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path target = to.resolve(from.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(target);
                        } else {
                            try {
                                Files.createLink(target, file);
                            } catch (UnsupportedOperationException | IOException noLink) {
                                Files.copy(file, target);
                            }
                        }
                    }
                }
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return console.url();
    }

    /** A bearer token as {@code ./updraft token} mints it, for one subject and the given roles. */
    String token(String subject, String... roles) {
        return services.keys().tokens().mint(subject, Duration.ofHours(1), roles);
    }
}
