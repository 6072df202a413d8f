package io.updraft.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The images {@code ./updraft containers} runs: the four services' Jib tarballs (deploy-tests' ServiceImageBuilder,
 * rebuilt only when a service's {@code target/quarkus-app} is newer than its tarball), then
 * {@code deploy/images/build-images.sh --services}, which loads them and builds Kafka and PostgreSQL (cached).
 */
final class ContainerImages {
    private ContainerImages() {
    }

    static void ensure(Path root, PrintStream out) throws IOException, InterruptedException {
        Path images = root.resolve("deploy-tests/target/images");
        List<String> stale = LocalStack.SERVICES.stream().filter(s -> stale(root, images, s)).toList();
        if (!stale.isEmpty()) {
            out.println("building the service images (" + String.join(", ", stale)
                    + ": ./mvnw -pl deploy-tests compile exec:exec@service-images)…");
            run(root, List.of(root.resolve("mvnw").toString(), "-B", "-q", "-pl", "deploy-tests", "compile",
                    "exec:exec@service-images"));
            FileTime now = FileTime.fromMillis(System.currentTimeMillis());
            for (String service : LocalStack.SERVICES) { // the builder leaves an unchanged tarball as it was
                Files.setLastModifiedTime(images.resolve(service + ".tar"), now);
            }
        }
        // the script loads a tarball only when its image is not loaded already, and caches Kafka and PostgreSQL
        out.println("building images (deploy/images/build-images.sh --services " + root.relativize(images) + ")…");
        List<String> command = List.of("bash", root.resolve("deploy/images/build-images.sh").toString(), "--services",
                images.toString());
        run(root, command);
    }

    /** The version the images are tagged with: the project's, from the root pom. */
    static String version(Path root) {
        try {
            String pom = Files.readString(root.resolve("pom.xml"));
            Matcher m = Pattern.compile("<artifactId>updraft-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(pom);
            if (!m.find()) {
                throw new IllegalStateException("no updraft-parent version in " + root.resolve("pom.xml"));
            }
            return m.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean stale(Path root, Path images, String service) {
        Path tarball = images.resolve(service + ".tar");
        Path app = root.resolve(service).resolve("target/quarkus-app");
        if (!Files.isRegularFile(tarball)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(app)) {
            long built = Files.getLastModifiedTime(tarball).toMillis();
            return files.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > built;
                } catch (IOException e) {
                    return true;
                }
            });
        } catch (IOException e) {
            return true;
        }
    }

    private static void run(Path root, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + status);
        }
    }
}
