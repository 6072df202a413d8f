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
