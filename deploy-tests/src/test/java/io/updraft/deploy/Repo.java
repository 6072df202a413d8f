package io.updraft.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the repository is, and the names of what these tests look at. */
final class Repo {
    static final List<String> SERVICES = List.of("release-service", "rollout-service", "device-gateway",
            "telemetry-service");
    /** The operator console: a workload with its own Deployment, but no database, no Kafka, no token verification. */
    static final String CONSOLE = "console";
    /** Everything deploy/base runs as a Deployment: the four services and the console. */
    static final List<String> WORKLOADS = List.of("release-service", "rollout-service", "device-gateway",
            "telemetry-service", CONSOLE);
    static final List<String> OVERLAYS = List.of("dev", "prod");

    static Path root() {
        String configured = System.getProperty("updraft.root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        if (!Files.isDirectory(root.resolve("deploy")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalStateException("not the Updraft repository root: " + root);
        }
        return root;
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    private Repo() {
    }
}
