package io.updraft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomization with {@code kubectl kustomize} — offline, no cluster — into its objects. kubectl is
 * required: without it these tests fail (they never skip), since nothing else proves the overlays build.
 */
final class Kustomize {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    /** The objects of {@code deploy/overlays/<overlay>}, rendered once per test JVM. */
    static List<JsonNode> overlay(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> render(Repo.deploy().resolve("overlays").resolve(o)));
    }

    static List<JsonNode> render(Path kustomization) {
        String kubectl = kubectl();
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl, "kustomize", kustomization.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + kustomization + " did not finish in 2 minutes");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + kustomization + " failed:\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return parse(Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + kubectl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What {@code deploy/render.sh} printed and how it ended. */
    record Script(int exitCode, String stdout, String stderr) {
        List<JsonNode> objects() {
            try {
                return parse(stdout);
            } catch (IOException e) {
                throw new AssertionError("render.sh printed no YAML: " + e, e);
            }
        }
    }

    /** Runs {@code <deploy>/render.sh <argument>} with bash and this machine's kubectl. */
    static Script renderScript(Path deploy, String argument) {
        try {
            Path out = Files.createTempFile("render", ".out");
            Path err = Files.createTempFile("render", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder("bash", deploy.resolve("render.sh").toString(), argument)
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().put("KUBECTL", kubectl());
                Process process = builder.start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("render.sh " + argument + " did not finish in 2 minutes");
                }
                return new Script(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run render.sh: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A copy of the repository's {@code deploy/} (without the vendored schemas and image scripts) under {@code dir}, to
     * render an overlay with changed values or an extra patch without touching the repository.
     */
    static Path copyOfDeploy(Path dir) {
        Path source = Repo.deploy();
        Path target = dir.resolve("deploy");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (relative.startsWith("vendor") || relative.startsWith("images")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot copy deploy/: " + e, e);
        }
        return target;
    }

    static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readValues(YAML.createParser(yaml), JsonNode.class)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    /** {@code $KUBECTL}, else kubectl on the PATH; a clear failure when there is none. */
    static String kubectl() {
        return kubectl(System.getenv());
    }

    static String kubectl(Map<String, String> environment) {
        String configured = environment.get("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Optional<Path> found = Stream.of(environment.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
        return found.map(Path::toString).orElseThrow(() -> new AssertionError(
                "kubectl is not installed (not on the PATH, KUBECTL not set): deploy-tests render deploy/overlays/* with "
                        + "`kubectl kustomize` (kubectl >= 1.32, kustomize 5.5) and cannot check the Kubernetes manifests "
                        + "without it. Install kubectl and run again."));
    }

    private Kustomize() {
    }
}
