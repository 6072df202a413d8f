package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image tarballs that {@code verify} built (ServiceImageBuilder, pre-integration-test) are complete images: every
 * layer's content matches the digest the config declares, the JVM comes from the Debian base layer, the application
 * from Quarkus' fast-jar layers, and the container runs {@code java -jar quarkus-run.jar} as a non-root user with a
 * heap sized by the container — under the name the dev overlay deploys. The operator console's image likewise.
 */
class ServiceImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = { "release-service", "rollout-service", "device-gateway", "telemetry-service", "console" })
    void theImageTarballHoldsTheServiceOnTheBaseImageAndRunsItAsNonRoot(String service) throws Exception {
        Path tarball = Path.of(System.getProperty("updraft.images.dir", "target/images")).resolve(service + ".tar");
        assertThat(tarball).as("built by ServiceImageBuilder in pre-integration-test").isRegularFile();
        Image image = Image.read(tarball);

        // name: what the dev overlay deploys
        String version = System.getProperty("updraft.version");
        JsonNode manifest = image.manifest.get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("updraft/" + service + ":" + version);
        assertThat(Objects.container(Kustomize.overlay("dev"), service).path("image").asText())
                .isEqualTo(manifest.get("RepoTags").get(0).asText());

        // layers: every one present, its uncompressed content hashing to the config's diff_id
        List<String> layerFiles = Objects.list(manifest.get("Layers")).stream().map(JsonNode::asText).toList();
        List<String> diffIds = Objects.list(image.config.at("/rootfs/diff_ids")).stream().map(JsonNode::asText).toList();
        // base, third-party libraries, what Updraft builds: three layers, as few as vfs needs (ADR 0019)
        boolean ownLibraries = !Repo.CONSOLE.equals(service);
        assertThat(layerFiles).hasSize(diffIds.size()).hasSize(3);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerFiles.size(); i++) {
            Layer layer = image.layers.get(layerFiles.get(i));
            assertThat(layer).as("layer %s is in the tarball", layerFiles.get(i)).isNotNull();
            assertThat("sha256:" + layer.diffId).as("content of layer %d", i).isEqualTo(diffIds.get(i));
            layers.add(layer);
        }

        // the base layer: Debian with OpenJDK 17 and the runtime user; the application layers: Quarkus' fast-jar
        Layer base = layers.get(0);
        assertThat(base.files).containsKeys("usr/lib/jvm/java-17-openjdk-amd64/bin/java", "etc/passwd", "etc/debian_version");
        assertThat(base.passwd).contains("updraft:x:10001:");
        Map<String, Integer> app = new HashMap<>();
        layers.subList(1, layers.size()).forEach(l -> app.putAll(l.files));
        assertThat(app).containsKey("work/quarkus-run.jar");
        assertThat(app.keySet()).anyMatch(f -> f.startsWith("work/lib/boot/"))
                .anyMatch(f -> f.startsWith("work/lib/main/"))
                .anyMatch(f -> f.startsWith("work/quarkus/"))
                .anyMatch(f -> f.startsWith("work/app/"));
        if (ownLibraries) {
            assertThat(app.keySet()).anyMatch(f -> f.startsWith("work/lib/main/io.updraft.events"));
        } else {
            assertThat(app.keySet()).as("the console: static pages and a proxy, no Updraft library")
                    .noneMatch(f -> f.startsWith("work/lib/main/io.updraft."));
        }
        assertThat(app).as("the non-root user can read every application file")
                .allSatisfy((file, mode) -> assertThat(mode & 0004).as(file).isNotZero());
        Map<String, Integer> libraries = layers.get(1).files;
        Map<String, Integer> application = layers.get(2).files;
        assertThat(libraries.keySet()).as("third-party libraries only: they change when a dependency does")
                .allMatch(f -> f.startsWith("work/lib/boot/") || f.startsWith("work/lib/main/"))
                .noneMatch(f -> f.startsWith("work/lib/main/io.updraft."));
        assertThat(application.keySet()).as("what Updraft builds, apart from the libraries")
                .contains("work/quarkus-run.jar")
                .noneMatch(f -> f.startsWith("work/lib/boot/"))
                .allMatch(f -> !f.startsWith("work/lib/main/") || f.startsWith("work/lib/main/io.updraft."));

        // how it runs
        JsonNode run = image.config.get("config");
        List<String> entrypoint = Objects.list(run.get("Entrypoint")).stream().map(JsonNode::asText).toList();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "quarkus-run.jar");
        // heap sized by the container's memory limit: 75 %, or 50 % for telemetry-service, whose RocksDB lives beside it
        assertThat(entrypoint).as("heap sized by the container's memory limit")
                .contains("-XX:MaxRAMPercentage=" + ("telemetry-service".equals(service) ? 50 : 75));
        assertThat(run.path("WorkingDir").asText()).isEqualTo("/work");
        String user = run.path("User").asText();
        assertThat(user).as("runs as a numeric non-root user").matches("[1-9][0-9]*(:[0-9]+)?");
        assertThat(user.split(":")[0]).isEqualTo(String.valueOf(
                Objects.get(Kustomize.overlay("dev"), "Deployment", service).at("/spec/template/spec/securityContext/runAsUser")
                        .asInt()));
        assertThat(Objects.fieldNames(run.get("ExposedPorts")))
                .containsExactly(ServiceFacts.of(service).httpPort() + "/tcp");
        assertThat(Objects.list(run.get("Env")).stream().map(JsonNode::asText))
                .anyMatch(e -> e.startsWith("JAVA_HOME=/usr/lib/jvm/java-17-openjdk"));
    }

    /** A {@code docker save} tarball read in one pass: layers are hashed and listed as they stream by. */
    private record Image(List<JsonNode> manifest, JsonNode config, Map<String, Layer> layers) {
        static Image read(Path tarball) throws IOException, NoSuchAlgorithmException {
            Map<String, Layer> layers = new HashMap<>();
            Map<String, byte[]> jsonFiles = new HashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (entry.getName().endsWith(".json")) {
                        jsonFiles.put(entry.getName(), tar.readAllBytes());
                    } else if (entry.isFile()) {
                        layers.put(entry.getName(), Layer.read(tar));
                    }
                }
            }
            List<JsonNode> manifest = Objects.list(JSON.readTree(jsonFiles.get("manifest.json")));
            assertThat(manifest).hasSize(1);
            JsonNode config = JSON.readTree(jsonFiles.get(manifest.get(0).get("Config").asText()));
            return new Image(manifest, config, layers);
        }
    }

    /** A layer: sha256 of its uncompressed tar, and its regular files (path → mode). */
    private record Layer(String diffId, Map<String, Integer> files, String passwd) {
        static Layer read(InputStream compressed) throws IOException, NoSuchAlgorithmException {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            Map<String, Integer> files = new HashMap<>();
            String passwd = null;
            DigestInputStream content = new DigestInputStream(new GZIPInputStream(new NonClosing(compressed), 65536), sha256);
            TarArchiveInputStream tar = new TarArchiveInputStream(content);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                if (entry.isFile() || entry.isSymbolicLink()) {
                    files.put(name, entry.getMode());
                }
                if (name.equals("etc/passwd")) {
                    passwd = new String(tar.readAllBytes());
                }
            }
            content.transferTo(OutputStreamSink.INSTANCE); // the tar's end padding belongs to the digest too
            return new Layer(HexFormat.of().formatHex(sha256.digest()), files, passwd);
        }
    }

    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
