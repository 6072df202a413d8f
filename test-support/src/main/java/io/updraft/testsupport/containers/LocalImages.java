package io.updraft.testsupport.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * The container images tests run, all built on this machine by {@code deploy/images/build-images.sh} (no registry is
 * reachable): Kafka of the version the services' clients are (the Maven jars dev-stack runs), PostgreSQL from
 * Debian's package. Each stands in for the official image Testcontainers' module expects.
 */
public final class LocalImages {
    /** Every image is built here; asking a registry for one would only fail slowly. */
    public static final ImagePullPolicy NEVER_PULL = image -> false;

    private static boolean built;

    private LocalImages() {
    }

    public static DockerImageName kafka() {
        // the broker version dev-stack runs (build-images.sh tags the image with it), not this JVM's client version
        try {
            return DockerImageName.parse("updraft/kafka:" + io.updraft.devstack.DevStack.kafkaVersion())
                    .asCompatibleSubstituteFor("apache/kafka");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static DockerImageName postgres() {
        return DockerImageName.parse("updraft/postgres:15").asCompatibleSubstituteFor("postgres");
    }

    /** A service's image as deploy-tests' Jib build tags it (loaded by build-images.sh --services). */
    public static DockerImageName service(String name, String version) {
        return DockerImageName.parse("updraft/" + name + ":" + version);
    }

    /**
     * Runs build-images.sh once per JVM: a second run costs about a second (its inputs are cached), and it rebuilds
     * what changed, so a test never runs on a stale image.
     *
     * @param arguments e.g. {@code --services <dir>}
     */
    public static synchronized void ensureBuilt(String... arguments) {
        if (built && arguments.length == 0) {
            return;
        }
        Path script = repoRoot().resolve("deploy/images/build-images.sh");
        try {
            Path log = Files.createTempFile("updraft-build-images", ".log");
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", script.toString()));
            command.addAll(java.util.List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within 20 minutes; its log: " + log);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "):\n" + output);
            }
            built = true;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository: {@code -Dupdraft.root}, or the first folder up from here that holds deploy/images. */
    public static Path repoRoot() {
        String configured = System.getProperty("updraft.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/images/build-images.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/images/build-images.sh above " + Path.of("").toAbsolutePath()
                + ": set -Dupdraft.root to the repository");
    }
}
