package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.deploy.images.ImageSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the services ask of the cluster fits what it has: database connections at every HorizontalPodAutoscaler's
 * maximum, replica counts left to the autoscalers, disruption budgets that let nodes drain, telemetry-service's heap
 * and RocksDB inside its container limit. Each check is proven to fail on a value that does not fit.
 */
class CapacityTest {
    /** Share of max_connections kept free: manual sessions, a migration, a pod that did not let go yet. */
    static final double HEADROOM = 0.10;
    /**
     * Connections CloudNativePG's own tooling holds on an instance outside the roles' pools: the instance manager
     * (status, metrics exporter, role and database reconcilers) and the Barman Cloud plugin's backup session.
     * Streaming replication uses WAL senders, which PostgreSQL counts apart (max_wal_senders).
     */
    static final int TOOLING_CONNECTIONS = 10;
    /** Agroal's quarkus.datasource.jdbc.max-size when nothing sets it. */
    static final int DEFAULT_POOL_SIZE = 20;
    /** PostgreSQL's defaults. */
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    static final int DEFAULT_SUPERUSER_RESERVED = 3;
    /**
     * telemetry-service's memory outside the heap and RocksDB: metaspace, code cache, thread stacks, direct buffers of
     * Vert.x and the Kafka clients, GC structures, malloc arenas.
     */
    static final long TELEMETRY_OVERHEAD_BYTES = 384L << 20;

    // ---- database connections -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void connectionPoolsAtEveryAutoscalersMaximumFitEachDatabase(String overlay) {
        List<String> report = new ArrayList<>();
        List<String> problems = connectionProblems(Kustomize.overlay(overlay), report);
        report.forEach(line -> System.out.println(overlay + ": " + line));
        assertThat(report).as("every database is budgeted").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void aBudgetThatDoesNotFitIsFound(@TempDir Path dir) throws IOException {
        // Rendered, not edited in memory: prod with device-gateway allowed 40 pods.
        Path deploy = Kustomize.copyOfDeploy(dir);
        Path kustomization = deploy.resolve("overlays/prod/kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization).replace("patches:\n", """
                patches:
                  - target: { kind: HorizontalPodAutoscaler, name: device-gateway }
                    patch: |-
                      - op: replace
                        path: /spec/maxReplicas
                        value: 40
                """));
        List<JsonNode> scaled = Kustomize.render(deploy.resolve("overlays/prod"));
        assertThat(Objects.get(scaled, "HorizontalPodAutoscaler", "device-gateway").at("/spec/maxReplicas").asInt())
                .isEqualTo(40);
        assertThat(connectionProblems(scaled, new ArrayList<>())).singleElement().asString()
                .contains("updraft-postgres").contains("device-gateway 10 × 41");

        // A pool size raised in a ConfigMap.
        List<JsonNode> pooled = copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(pooled, "ConfigMap", "rollout-service-config").get("data"))
                .put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "60");
        assertThat(connectionProblems(pooled, new ArrayList<>())).singleElement().asString().contains("rollout-service 60 × 5");

        // Fewer connections on the server than the pools need.
        List<JsonNode> small = copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.ofKind(small, "Cluster").get(0).at("/spec/postgresql/parameters"))
                .put("max_connections", "200");
        assertThat(connectionProblems(small, new ArrayList<>())).isNotEmpty();
    }

    /**
     * Per CloudNativePG Cluster: max_connections − superuser_reserved_connections − reserved_connections − tooling −
     * headroom ≥ Σ over the services whose JDBC URL points at it of pool max size × (HPA maxReplicas + rolling surge).
     */
    static List<String> connectionProblems(List<JsonNode> objects, List<String> report) {
        List<String> problems = new ArrayList<>();
        for (JsonNode cluster : Objects.ofKind(objects, "Cluster")) {
            String name = Objects.name(cluster);
            JsonNode parameters = cluster.at("/spec/postgresql/parameters");
            int max = intParameter(parameters, "max_connections", DEFAULT_MAX_CONNECTIONS);
            int superuser = intParameter(parameters, "superuser_reserved_connections", DEFAULT_SUPERUSER_RESERVED);
            int reserved = intParameter(parameters, "reserved_connections", 0);
            int headroom = (int) Math.ceil(max * HEADROOM);
            int budget = max - superuser - reserved - TOOLING_CONNECTIONS - headroom;
            int used = 0;
            List<String> terms = new ArrayList<>();
            for (JsonNode deployment : Objects.ofKind(objects, "Deployment")) {
                String service = Objects.name(deployment);
                Map<String, String> env = environment(objects, deployment);
                String jdbc = env.get("QUARKUS_DATASOURCE_JDBC_URL");
                if (jdbc == null || !jdbc.startsWith("jdbc:postgresql:")) {
                    continue;
                }
                String host = URI.create(jdbc.substring("jdbc:".length())).getHost();
                if (!host.startsWith(name + "-")) {
                    continue;
                }
                int pool = Optional.ofNullable(env.get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE"))
                        .or(() -> serviceProperty(service, "quarkus.datasource.jdbc.max-size"))
                        .map(Integer::parseInt).orElse(DEFAULT_POOL_SIZE);
                int pods = maxPods(objects, deployment);
                used += pool * pods;
                terms.add(service + " " + pool + " × " + pods);
            }
            String line = String.format("%s: %s = %d connections; budget %d = max_connections %d − superuser_reserved %d"
                    + " − reserved %d − tooling %d − headroom %d (%.0f %%)", name, String.join(" + ", terms), used, budget,
                    max, superuser, reserved, TOOLING_CONNECTIONS, headroom, HEADROOM * 100);
            report.add(line);
            if (used > budget) {
                problems.add("the pools do not fit " + line);
            }
        }
        return problems;
    }

    private static int intParameter(JsonNode parameters, String name, int fallback) {
        JsonNode value = parameters.path(name);
        return value.isMissingNode() ? fallback : Integer.parseInt(value.asText());
    }

    /** The most pods of a Deployment at once: its autoscaler's maximum (else its replicas) plus the rolling surge. */
    static int maxPods(List<JsonNode> objects, JsonNode deployment) {
        int replicas = autoscaler(objects, deployment).map(h -> h.at("/spec/maxReplicas").asInt())
                .orElse(deployment.at("/spec/replicas").asInt(1));
        JsonNode strategy = deployment.at("/spec/strategy");
        if ("Recreate".equals(strategy.path("type").asText())) {
            return replicas;
        }
        JsonNode surge = strategy.at("/rollingUpdate/maxSurge");
        String value = surge.isMissingNode() ? "25%" : surge.asText();
        int extra = value.endsWith("%")
                ? (int) Math.ceil(replicas * Integer.parseInt(value.substring(0, value.length() - 1)) / 100.0)
                : Integer.parseInt(value);
        return replicas + extra;
    }

    static Optional<JsonNode> autoscaler(List<JsonNode> objects, JsonNode deployment) {
        return Objects.ofKind(objects, "HorizontalPodAutoscaler").stream()
                .filter(h -> h.at("/spec/scaleTargetRef/kind").asText().equals("Deployment")
                        && h.at("/spec/scaleTargetRef/name").asText().equals(Objects.name(deployment)))
                .findFirst();
    }

    /** The container's environment as literal values: its ConfigMaps (envFrom) overlaid by its env values. */
    static Map<String, String> environment(List<JsonNode> objects, JsonNode deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        for (JsonNode source : Objects.list(container.get("envFrom"))) {
            Objects.find(objects, "ConfigMap", source.at("/configMapRef/name").asText())
                    .ifPresent(cm -> Objects.fieldNames(cm.get("data")).forEach(k -> env.put(k, cm.get("data").get(k).asText())));
        }
        for (JsonNode e : Objects.list(container.get("env"))) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return env;
    }

    static Optional<String> serviceProperty(String service, String key) {
        return Repo.SERVICES.contains(service) ? ServiceFacts.of(service).property(key) : Optional.empty();
    }

    // ---- replicas and disruption budgets --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void noDeploymentUnderAnAutoscalerFixesItsReplicas(String overlay) {
        assertThat(fixedReplicaProblems(Kustomize.overlay(overlay))).isEmpty();
        if (overlay.equals("dev")) {
            assertThat(Objects.ofKind(Kustomize.overlay(overlay), "HorizontalPodAutoscaler"))
                    .as("dev holds one pod through its autoscalers: min = max = 1")
                    .allSatisfy(h -> assertThat(h.at("/spec/minReplicas").asInt() + "-" + h.at("/spec/maxReplicas").asInt())
                            .isEqualTo("1-1"));
        }
    }

    @Test
    void aFixedReplicaCountUnderAnAutoscalerIsFound() {
        List<JsonNode> objects = copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(objects, "Deployment", "rollout-service").get("spec")).put("replicas", 2);
        assertThat(fixedReplicaProblems(objects)).singleElement().asString().contains("rollout-service");
    }

    static List<String> fixedReplicaProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode deployment : Objects.ofKind(objects, "Deployment")) {
            if (autoscaler(objects, deployment).isPresent() && deployment.at("/spec/replicas").isNumber()) {
                problems.add("Deployment " + Objects.name(deployment) + " sets replicas "
                        + deployment.at("/spec/replicas").asInt() + " although an autoscaler owns the count");
            }
        }
        return problems;
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void disruptionBudgetsLetEvictionsThroughAtTheMinimumReplicas(String overlay) {
        assertThat(disruptionProblems(Kustomize.overlay(overlay))).isEmpty();
    }

    @Test
    void aBudgetThatBlocksEveryEvictionIsFound() {
        List<JsonNode> minAvailable = copy(Kustomize.overlay("prod"));
        ObjectNode spec = (ObjectNode) Objects.get(minAvailable, "PodDisruptionBudget", "device-gateway").get("spec");
        spec.remove("maxUnavailable");
        spec.put("minAvailable", 3); // = prod's minReplicas of device-gateway
        assertThat(disruptionProblems(minAvailable)).singleElement().asString().contains("device-gateway");

        List<JsonNode> zero = copy(Kustomize.overlay("dev"));
        ((ObjectNode) Objects.get(zero, "PodDisruptionBudget", "rollout-service").get("spec")).put("maxUnavailable", 0);
        assertThat(disruptionProblems(zero)).singleElement().asString().contains("rollout-service");
    }

    /**
     * A PodDisruptionBudget must allow one eviction when its Deployment runs at its autoscaler's minimum: minAvailable
     * below minReplicas, or maxUnavailable of at least one pod.
     */
    static List<String> disruptionProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode pdb : Objects.ofKind(objects, "PodDisruptionBudget")) {
            JsonNode selector = pdb.at("/spec/selector/matchLabels");
            Optional<JsonNode> deployment = Objects.ofKind(objects, "Deployment").stream()
                    .filter(d -> Objects.fieldNames(selector).stream().allMatch(k -> selector.get(k).asText()
                            .equals(d.at("/spec/template/metadata/labels").path(k).asText(null))))
                    .findFirst();
            if (deployment.isEmpty()) {
                problems.add(Objects.id(pdb) + " selects no Deployment");
                continue;
            }
            int minimum = autoscaler(objects, deployment.get()).map(h -> h.at("/spec/minReplicas").asInt(1))
                    .orElse(deployment.get().at("/spec/replicas").asInt(1));
            JsonNode minAvailable = pdb.at("/spec/minAvailable");
            JsonNode maxUnavailable = pdb.at("/spec/maxUnavailable");
            int evictable;
            if (!minAvailable.isMissingNode()) {
                evictable = minimum - pods(minAvailable.asText(), minimum, true);
            } else if (!maxUnavailable.isMissingNode()) {
                evictable = pods(maxUnavailable.asText(), minimum, false);
            } else {
                evictable = minimum; // no limit set: every pod may go
            }
            if (evictable < 1) {
                problems.add(Objects.id(pdb) + " allows no eviction at " + Objects.name(deployment.get())
                        + "'s minimum of " + minimum + " pod(s) (minAvailable " + minAvailable + ", maxUnavailable "
                        + maxUnavailable + ")");
            }
        }
        return problems;
    }

    /** An IntOrString of a budget in pods; percentages round up for minAvailable and down for maxUnavailable. */
    private static int pods(String value, int of, boolean roundUp) {
        if (!value.endsWith("%")) {
            return Integer.parseInt(value);
        }
        double share = of * Integer.parseInt(value.substring(0, value.length() - 1)) / 100.0;
        return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }

    // ---- telemetry-service memory ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void telemetryHeapRocksDbAndOverheadFitTheContainerLimit(String overlay) throws IOException {
        List<String> report = new ArrayList<>();
        List<String> problems = telemetryMemoryProblems(Kustomize.overlay(overlay), report);
        report.forEach(line -> System.out.println(overlay + ": " + line));
        assertThat(problems).isEmpty();
    }

    @Test
    void aRocksDbCacheOrHeapShareThatDoesNotFitIsFound() throws IOException {
        List<JsonNode> cache = copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(cache, "ConfigMap", "telemetry-service-config").get("data"))
                .put("UPDRAFT_STREAMS_ROCKSDB_BLOCK_CACHE_BYTES", String.valueOf(256L << 20));
        assertThat(telemetryMemoryProblems(cache, new ArrayList<>())).singleElement().asString().contains("exceeds");

        List<JsonNode> heap = copy(Kustomize.overlay("prod"));
        ObjectNode container = (ObjectNode) Objects.container(heap, "telemetry-service");
        // the image's entrypoint with the heap share most JVM services take: RocksDB's memory would not fit beside it
        List<String> imageArguments = ImageSettings.of(Repo.root(), "telemetry-service").jvmArguments();
        ArrayNode command = container.putArray("command").add("java");
        imageArguments.forEach(a -> command.add(a.startsWith("-XX:MaxRAMPercentage=") ? "-XX:MaxRAMPercentage=75" : a));
        command.add("-jar").add("quarkus-run.jar");
        assertThat(telemetryMemoryProblems(heap, new ArrayList<>())).singleElement().asString().contains("75");
    }

    @Test
    void prodKeepsAStandbyOfEveryStateStoreOnASecondInstance() {
        List<JsonNode> prod = Kustomize.overlay("prod");
        Map<String, String> env = environment(prod, Objects.get(prod, "Deployment", "telemetry-service"));
        assertThat(env).containsEntry("KAFKA_STREAMS_NUM_STANDBY_REPLICAS", "1");
        assertThat(Objects.get(prod, "HorizontalPodAutoscaler", "telemetry-service").at("/spec/minReplicas").asInt())
                .as("a standby needs a second instance").isGreaterThanOrEqualTo(2);
        assertThat(ServiceFacts.of("telemetry-service").reads("KAFKA_STREAMS_NUM_STANDBY_REPLICAS")).isTrue();
    }

    /**
     * heap (MaxRAMPercentage × limit) + RocksDB (block cache + write buffers, both counted) + {@link
     * #TELEMETRY_OVERHEAD_BYTES} ≤ the container's memory limit; a command that overrides the image's keeps its other
     * arguments.
     */
    static List<String> telemetryMemoryProblems(List<JsonNode> objects, List<String> report) throws IOException {
        List<String> problems = new ArrayList<>();
        JsonNode deployment = Objects.get(objects, "Deployment", "telemetry-service");
        JsonNode container = Objects.container(objects, "telemetry-service");
        long limit = bytes(container.at("/resources/limits/memory").asText());
        List<String> imageArguments = ImageSettings.of(Repo.root(), "telemetry-service").jvmArguments();
        List<String> arguments = imageArguments;
        if (container.has("command")) {
            List<String> command = Objects.list(container.get("command")).stream().map(JsonNode::asText).toList();
            List<String> expected = new ArrayList<>();
            expected.add("java");
            imageArguments.stream().map(a -> a.startsWith("-XX:MaxRAMPercentage=") ? percentageOf(command) : a)
                    .forEach(expected::add);
            expected.addAll(List.of("-jar", "quarkus-run.jar"));
            if (!command.equals(expected)) {
                problems.add("telemetry-service's command " + command + " is not the image's entrypoint " + expected
                        + " with another MaxRAMPercentage");
            }
            arguments = command;
        }
        double percentage = arguments.stream().map(a -> Pattern.compile("^-XX:MaxRAMPercentage=([0-9.]+)$").matcher(a))
                .filter(Matcher::matches).map(m -> Double.parseDouble(m.group(1))).reduce((a, b) -> b).orElse(25.0);
        Map<String, String> env = environment(objects, deployment);
        Optional<Long> cache = Optional.ofNullable(env.get("UPDRAFT_STREAMS_ROCKSDB_BLOCK_CACHE_BYTES"))
                .or(() -> serviceProperty("telemetry-service", "updraft.streams.rocksdb.block-cache-bytes"))
                .map(Long::parseLong);
        Optional<Long> buffers = Optional.ofNullable(env.get("UPDRAFT_STREAMS_ROCKSDB_WRITE_BUFFER_BYTES"))
                .or(() -> serviceProperty("telemetry-service", "updraft.streams.rocksdb.write-buffer-bytes"))
                .map(Long::parseLong);
        if (cache.isEmpty() || buffers.isEmpty()) {
            problems.add("telemetry-service's RocksDB memory is unbounded (no block cache / write buffer size)");
            return problems;
        }
        long heap = (long) (limit * percentage / 100);
        long total = heap + cache.get() + buffers.get() + TELEMETRY_OVERHEAD_BYTES;
        String line = String.format("telemetry-service: heap %s %% of %d MiB = %d MiB + RocksDB %d + %d MiB + overhead %d MiB"
                + " = %d MiB of %d MiB", fmt(percentage), limit >> 20, heap >> 20, cache.get() >> 20, buffers.get() >> 20,
                TELEMETRY_OVERHEAD_BYTES >> 20, total >> 20, limit >> 20);
        report.add(line);
        if (total > limit) {
            problems.add(line + " exceeds the limit");
        }
        return problems;
    }

    private static String percentageOf(List<String> command) {
        return command.stream().filter(a -> a.startsWith("-XX:MaxRAMPercentage=")).findFirst().orElse("(none)");
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** A Kubernetes memory quantity in bytes (Ki/Mi/Gi/Ti, k/M/G/T, or plain). */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$").matcher(quantity);
        if (!m.matches()) {
            throw new AssertionError("not a memory quantity: " + quantity);
        }
        long value = Long.parseLong(m.group(1));
        return value * switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
    }

    static List<JsonNode> copy(List<JsonNode> objects) {
        return objects.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }
}
