package io.updraft.deploy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Builds the image of each service (and of the operator console) as a {@code docker save} tarball with Jib — no Docker daemon, no registry — from
 * the service's {@code target/quarkus-app} on the Debian base image tarball ({@code deploy/images/build-base-image.sh},
 * built once per machine). Two application layers on the base: the third-party libraries (they change when a
 * dependency does, so a registry keeps them across releases) and everything Updraft builds (its own libraries,
 * quarkus-run.jar, quarkus/, app/). Not the Quarkus Jib extension's six: Docker's vfs storage driver — the one that works
 * in CI's sandbox — stores every layer as a full copy of the filesystem below it, so each extra layer cost ~430 MB
 * per image there (ADR 0019).
 *
 * <pre>ServiceImageBuilder &lt;repo root&gt; &lt;output dir&gt; &lt;version&gt;</pre>
 */
public final class ServiceImageBuilder {
    /** The four services and the operator console: every workload deploy/base runs. */
    public static final List<String> SERVICES = List.of("release-service", "rollout-service", "device-gateway",
            "telemetry-service", "console");

    private final Path repoRoot;
    private final Path outputDir;
    private final String version;
    private final Path cacheDir;

    ServiceImageBuilder(Path repoRoot, Path outputDir, String version) {
        this.repoRoot = repoRoot;
        this.outputDir = outputDir;
        this.version = version;
        this.cacheDir = Path.of(System.getProperty("user.home"), ".cache", "updraft");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ServiceImageBuilder <repo root> <output dir> <version>");
            System.exit(2);
        }
        ServiceImageBuilder builder = new ServiceImageBuilder(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]), args[2]);
        try {
            for (String service : SERVICES) {
                builder.build(ImageSettings.of(builder.repoRoot, service));
            }
        } catch (ImageBuildException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    void build(ImageSettings settings) throws Exception {
        long started = System.nanoTime();
        Path app = repoRoot.resolve(settings.service()).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new ImageBuildException(app + " has no quarkus-run.jar: package " + settings.service() + " first");
        }
        Path base = ensureBaseImage(settings.baseImageTarball());
        AbsoluteUnixPath workDir = AbsoluteUnixPath.get(settings.workingDirectory());

        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(settings.jvmArguments());
        entrypoint.add("-jar");
        entrypoint.add("quarkus-run.jar");
        Set<Port> ports = new LinkedHashSet<>();
        settings.ports().forEach(p -> ports.add(Port.tcp(Integer.parseInt(p))));

        Predicate<Path> ownLibrary = p -> p.getFileName().toString().startsWith("io.updraft.");
        JibContainerBuilder image = Jib.from(TarImage.at(base))
                .setFormat(ImageFormat.Docker)
                .addFileEntriesLayer(layer("libraries", app, workDir, List.of(app.resolve("lib/boot"), app.resolve("lib/main")),
                        ownLibrary.negate()))
                .addFileEntriesLayer(layer("application", app, workDir, List.of(app.resolve("lib/main"),
                        app.resolve("quarkus-run.jar"), app.resolve("quarkus"), app.resolve("app")),
                        p -> !p.startsWith(app.resolve("lib/main")) || ownLibrary.test(p)))
                .setWorkingDirectory(workDir)
                .setEntrypoint(entrypoint)
                .setExposedPorts(ports)
                .setLabels(Map.of("org.opencontainers.image.title", settings.service(),
                        "org.opencontainers.image.description", "Updraft " + settings.service() + " (Quarkus, JVM)",
                        "org.opencontainers.image.version", version,
                        "org.opencontainers.image.vendor", "Updraft"))
                .setCreationTime(Instant.EPOCH);
        if (settings.user() != null) {
            image.setUser(settings.user());
        }

        Files.createDirectories(outputDir);
        Path tarball = outputDir.resolve(settings.service() + ".tar");
        String reference = settings.repository() + ":" + version;
        Containerizer to = Containerizer.to(TarImage.at(tarball).named(ImageReference.parse(reference)))
                .setBaseImageLayersCache(cacheDir.resolve("jib-base-layers"))
                .setApplicationLayersCache(outputDir.resolve(".jib-cache"))
                .setToolName("updraft-deploy-tests")
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.ERROR || e.getLevel() == LogEvent.Level.WARN) {
                        System.err.println("[jib] " + e.getMessage());
                    }
                });
        JibContainer container = image.containerize(to);
        System.out.printf("image %s -> %s (%s, %d MiB) in %.1f s%n", reference, tarball, container.getDigest(),
                Files.size(tarball) >> 20, (System.nanoTime() - started) / 1e9);
    }

    /** Builds the base image tarball once per machine (it lives under ~/.cache/updraft, not in target/). */
    private Path ensureBaseImage(Path tarball) throws IOException, InterruptedException {
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        Path script = repoRoot.resolve("deploy/images/build-base-image.sh");
        System.out.println("base image " + tarball + " missing: building it with " + script + " (once per machine)");
        Process process = new ProcessBuilder("bash", script.toString(), tarball.toString()).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0 || !Files.isRegularFile(tarball)) {
            throw new ImageBuildException("could not build the base image " + tarball + " (" + script + " exited " + exit
                    + "); it needs root and the Debian package debootstrap");
        }
        return tarball;
    }

    private static FileEntriesLayer layer(String name, Path app, AbsoluteUnixPath workDir, List<Path> from,
            Predicate<Path> include) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (Path root : from) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(include).sorted().toList()) {
                    layer.addEntry(file, workDir.resolve(app.relativize(file).toString().replace('\\', '/')));
                }
            }
        }
        return layer.build();
    }

    static final class ImageBuildException extends RuntimeException {
        ImageBuildException(String message) {
            super(message);
        }
    }
}
