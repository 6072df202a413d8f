package io.updraft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private copy of the packaged services ({@code <service>/target/quarkus-app}) laid out like the repository, so a
 * rebuild of a service while the suite runs (another build on the machine) cannot swap jars under a running benchmark.
 */
final class AppSnapshot {
    private AppSnapshot() {
    }

    /** @return the root to start the services from: {@code <copy>/<service>/target/quarkus-app/quarkus-run.jar} */
    static Path of(Path repoRoot, Path copy, List<String> services) {
        try {
            deleteRecursively(copy);
            for (String service : services) {
                Path from = repoRoot.resolve(service).resolve("target/quarkus-app");
                if (!Files.exists(from.resolve("quarkus-run.jar"))) {
                    throw new IllegalStateException(from.resolve("quarkus-run.jar")
                            + " is missing: build first (./updraft build)");
                }
                Path to = copy.resolve(service).resolve("target/quarkus-app");
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path file : files.toList()) {
                        Path target = to.resolve(from.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
