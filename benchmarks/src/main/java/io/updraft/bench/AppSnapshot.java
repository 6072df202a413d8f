package io.updraft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A private copy of the packaged services ({@code <service>/target/quarkus-app}) laid out like the repository, so a
 * rebuild of a service while the suite runs (another build on the machine) cannot swap jars under a running benchmark.
 * One copy per service and run (this JVM): a later benchmark that needs services already copied gets that copy instead
 * of copying 80–150 MB per service again (rollout-service alone is used by five benchmarks).
 */
final class AppSnapshot {
    /** Service → the root its copy was made under in this JVM. */
    private static final Map<String, Path> TAKEN = new HashMap<>();

    private AppSnapshot() {
    }

    /**
     * @return the root to start the services from: {@code <root>/<service>/target/quarkus-app/quarkus-run.jar} —
     *         {@code copy}, or an earlier copy of this run that holds all of {@code services}
     */
    static synchronized Path of(Path repoRoot, Path copy, List<String> services) {
        Set<Path> roots = new HashSet<>();
        services.forEach(service -> roots.add(TAKEN.get(service)));
        if (roots.size() == 1 && !roots.contains(null)) {
            Path earlier = roots.iterator().next();
            if (services.stream().allMatch(service -> Files.exists(earlier.resolve(service)
                    .resolve("target/quarkus-app/quarkus-run.jar")))) {
                return earlier;
            }
        }
        try {
            deleteRecursively(copy);
            TAKEN.values().removeIf(copy::equals);
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
                TAKEN.put(service, copy);
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
