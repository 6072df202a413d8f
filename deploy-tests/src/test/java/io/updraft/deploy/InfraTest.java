package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/infra as the operators will run it: a Kafka version Strimzi 1.2.0 supports, replica placement that survives
 * the loss of a zone (prod), replication that fits the brokers (dev and prod), and metrics that a default
 * kube-prometheus-stack scrapes from the pods Strimzi and CloudNativePG create.
 */
class InfraTest {
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final int ZONES = 3;

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void kafkaRunsAVersionStrimziSupportsAtItsMetadataVersion(String overlay) throws IOException {
        JsonNode kafka = Objects.ofKind(Kustomize.overlay(overlay), "Kafka").get(0);
        String version = kafka.at("/spec/kafka/version").asText();
        JsonNode supported = Kustomize.parse(Files.readString(Repo.deploy().resolve("vendor/strimzi-1.2.0/kafka-versions.yaml")))
                .get(0);

        JsonNode entry = Objects.list(supported).stream().filter(v -> v.path("version").asText().equals(version))
                .findFirst().orElseThrow(() -> new AssertionError("Strimzi 1.2.0 does not know Kafka " + version));
        assertThat(entry.path("supported").asBoolean()).as("Strimzi 1.2.0 supports Kafka %s", version).isTrue();
        assertThat(kafka.at("/spec/kafka/metadataVersion").asText()).as("the metadata version of Kafka %s", version)
                .isEqualTo(entry.path("metadata").asText());
        assertThat(version).as("production runs the Kafka version the tests' broker runs (pom: kafka.version)")
                .isEqualTo(AppInfoParser.getVersion());
    }

    @Test
    void prodKeepsEveryPartitionWritableAndADatabaseReplicaWhenAZoneIsLost() {
        List<JsonNode> objects = Kustomize.overlay("prod");
        JsonNode kafka = Objects.ofKind(objects, "Kafka").get(0);
        assertThat(kafka.at("/spec/kafka/rack/topologyKey").asText()).as("brokers know their zone (broker.rack)")
                .isEqualTo(ZONE);
        for (JsonNode pool : Objects.ofKind(objects, "KafkaNodePool")) {
            assertThat(pool.at("/spec/replicas").asInt()).as("%s: one per zone", Objects.id(pool)).isGreaterThanOrEqualTo(ZONES);
            JsonNode spread = Objects.list(pool.at("/spec/template/pod/topologySpreadConstraints")).stream()
                    .filter(c -> c.path("topologyKey").asText().equals(ZONE)).findFirst()
                    .orElseThrow(() -> new AssertionError(Objects.id(pool) + " is not spread over zones"));
            assertThat(spread.path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
            assertThat(spread.path("maxSkew").asInt()).isEqualTo(1);
            assertThat(Selectors.matches(spread.path("labelSelector"), Operands.nodePoolPod(kafka, pool)))
                    .as("%s's spread constraint counts its own pods", Objects.id(pool)).isTrue();
            assertThat(Selectors.matches(spread.path("labelSelector"), Operands.nodePoolPod(kafka, otherPool(objects, pool))))
                    .as("%s's spread constraint counts only its own pods", Objects.id(pool)).isFalse();
        }

        JsonNode postgres = Objects.get(objects, "Cluster", "updraft-postgres");
        assertThat(postgres.at("/spec/instances").asInt()).as("a PostgreSQL replica to promote").isGreaterThanOrEqualTo(2);
        assertThat(postgres.at("/spec/affinity/topologyKey").asText()).as("PostgreSQL instances spread over zones")
                .isEqualTo(ZONE);
        assertThat(postgres.at("/spec/affinity/enablePodAntiAffinity").asBoolean(true)).isTrue();

        JsonNode config = kafka.at("/spec/kafka/config");
        List<String> problems = new ArrayList<>();
        survivesAZone("default topics", config.path("default.replication.factor").asInt(1),
                config.path("min.insync.replicas").asInt(1), problems);
        survivesAZone("__consumer_offsets", config.path("offsets.topic.replication.factor").asInt(1),
                config.path("min.insync.replicas").asInt(1), problems);
        survivesAZone("__transaction_state", config.path("transaction.state.log.replication.factor").asInt(1),
                config.path("transaction.state.log.min.isr").asInt(1), problems);
        for (JsonNode topic : Objects.ofKind(objects, "KafkaTopic")) {
            survivesAZone(Objects.id(topic),
                    topic.at("/spec/replicas").asInt(config.path("default.replication.factor").asInt(1)),
                    topic.at("/spec/config/min.insync.replicas").asInt(config.path("min.insync.replicas").asInt(1)), problems);
        }
        assertThat(problems).as("partitions that a zone loss would make unwritable (acks=all) or unreplicated").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void replicationFitsTheBrokers(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        JsonNode config = Objects.ofKind(objects, "Kafka").get(0).at("/spec/kafka/config");
        int brokers = Objects.ofKind(objects, "KafkaNodePool").stream()
                .filter(p -> Objects.list(p.at("/spec/roles")).stream().anyMatch(r -> r.asText().equals("broker")))
                .mapToInt(p -> p.at("/spec/replicas").asInt()).sum();
        Map<String, int[]> replication = new TreeMap<>();
        replication.put("default topics", new int[] { config.path("default.replication.factor").asInt(1),
                config.path("min.insync.replicas").asInt(1) });
        replication.put("__consumer_offsets", new int[] { config.path("offsets.topic.replication.factor").asInt(3),
                config.path("min.insync.replicas").asInt(1) });
        replication.put("__transaction_state", new int[] { config.path("transaction.state.log.replication.factor").asInt(3),
                config.path("transaction.state.log.min.isr").asInt(2) });
        Objects.ofKind(objects, "KafkaTopic").forEach(t -> replication.put(Objects.id(t), new int[] {
                t.at("/spec/replicas").asInt(config.path("default.replication.factor").asInt(1)),
                t.at("/spec/config/min.insync.replicas").asInt(config.path("min.insync.replicas").asInt(1)) }));

        replication.forEach((what, rf) -> {
            assertThat(rf[0]).as("%s: replication factor within %d brokers", what, brokers).isBetween(1, brokers);
            assertThat(rf[1]).as("%s: min.insync.replicas reachable", what).isBetween(1, rf[0]);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void kubePrometheusStackScrapesKafkaItsExporterItsOperatorsAndPostgres(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        JsonNode kafka = Objects.ofKind(objects, "Kafka").get(0);
        JsonNode metrics = kafka.at("/spec/kafka/metricsConfig");
        assertThat(metrics.path("type").asText()).as("Kafka metrics on").isIn("strimziMetricsReporter", "jmxPrometheusExporter");
        if (metrics.path("type").asText().equals("jmxPrometheusExporter")) {
            JsonNode ref = metrics.at("/valueFrom/configMapKeyRef");
            assertThat(Objects.get(objects, "ConfigMap", ref.path("name").asText()).path("data").has(ref.path("key").asText()))
                    .as("the JMX exporter rules exist").isTrue();
        }
        assertThat(kafka.at("/spec/kafkaExporter").isObject()).as("Kafka Exporter (consumer lag) on").isTrue();

        List<JsonNode> monitors = Objects.ofKind(objects, "PodMonitor");
        assertThat(monitors).as("PodMonitors").isNotEmpty().allSatisfy(m -> {
            assertThat(m.at("/metadata/labels/release").asText()).as("%s: kube-prometheus-stack's default selector", Objects.id(m))
                    .isEqualTo("kube-prometheus-stack");
            assertThat(m.at("/spec/namespaceSelector").isMissingNode()).as("%s watches its own namespace", Objects.id(m)).isTrue();
        });

        Map<String, Operands.Pod> pods = new TreeMap<>();
        for (JsonNode pool : Objects.ofKind(objects, "KafkaNodePool")) {
            pods.put(Objects.id(pool), Operands.nodePoolPod(kafka, pool));
        }
        pods.put("Kafka Exporter", Operands.kafkaExporterPod(kafka));
        pods.put("Entity Operator", Operands.entityOperatorPod(kafka));
        Objects.ofKind(objects, "Cluster").forEach(c -> pods.put(Objects.id(c), Operands.postgresInstancePod(c)));

        pods.forEach((what, pod) -> {
            for (String port : pod.metricsPorts()) {
                assertThat(monitors.stream().filter(m -> Selectors.matches(m.at("/spec/selector"), pod))
                        .flatMap(m -> Objects.list(m.at("/spec/podMetricsEndpoints")).stream())
                        .anyMatch(e -> e.path("port").asText().equals(port)))
                        .as("a PodMonitor scrapes port %s of the %s pods", port, what).isTrue();
            }
        });
    }

    private static void survivesAZone(String what, int replicas, int minInSync, List<String> problems) {
        // rack-aware placement puts the replicas round-robin over the zones: one zone holds at most ceil(rf / zones)
        int left = replicas - (replicas + ZONES - 1) / ZONES;
        if (minInSync < 2 || left < minInSync) {
            problems.add(what + ": replication " + replicas + ", min.insync.replicas " + minInSync + " (" + left
                    + " replicas left after a zone; need min.insync.replicas >= 2 and <= that)");
        }
    }

    private static JsonNode otherPool(List<JsonNode> objects, JsonNode pool) {
        return Objects.ofKind(objects, "KafkaNodePool").stream().filter(p -> !Objects.name(p).equals(Objects.name(pool)))
                .findFirst().orElseThrow();
    }

    /** The labels and metrics ports of the pods the operators create, as Strimzi 1.2.0 and CloudNativePG 1.30 set them. */
    static final class Operands {
        record Pod(Map<String, String> labels, Set<String> metricsPorts) {
        }

        /** Strimzi's Labels.generateDefaultLabels + node pool labels; metrics on tcp-prometheus (MetricsModel) */
        static Pod nodePoolPod(JsonNode kafka, JsonNode pool) {
            Map<String, String> labels = strimzi(kafka, "-kafka", "kafka");
            labels.put("strimzi.io/pool-name", Objects.name(pool));
            Objects.list(pool.at("/spec/roles")).forEach(r -> labels.put("strimzi.io/" + r.asText() + "-role", "true"));
            return new Pod(labels, Set.of("tcp-prometheus"));
        }

        static Pod kafkaExporterPod(JsonNode kafka) {
            return new Pod(strimzi(kafka, "-kafka-exporter", "kafka-exporter"), Set.of("tcp-prometheus"));
        }

        /** the Topic and User Operators' health ports, which also serve /metrics */
        static Pod entityOperatorPod(JsonNode kafka) {
            return new Pod(strimzi(kafka, "-entity-operator", "entity-operator"), Set.of("healthcheck-to", "healthcheck-uo"));
        }

        /** CloudNativePG instance pods; the exporter's port is named metrics (9187) */
        static Pod postgresInstancePod(JsonNode cluster) {
            return new Pod(Map.of("cnpg.io/cluster", Objects.name(cluster), "cnpg.io/podRole", "instance",
                    "cnpg.io/instanceRole", "primary", "role", "primary"), Set.of("metrics"));
        }

        private static Map<String, String> strimzi(JsonNode kafka, String nameSuffix, String componentType) {
            String cluster = Objects.name(kafka);
            Map<String, String> labels = new TreeMap<>();
            labels.put("strimzi.io/cluster", cluster);
            labels.put("strimzi.io/kind", "Kafka");
            labels.put("strimzi.io/name", cluster + nameSuffix);
            labels.put("strimzi.io/component-type", componentType);
            labels.put("app.kubernetes.io/name", componentType);
            labels.put("app.kubernetes.io/instance", cluster);
            labels.put("app.kubernetes.io/managed-by", "strimzi-cluster-operator");
            return labels;
        }
    }

    /** A Kubernetes LabelSelector (matchLabels, matchExpressions) applied to a pod's labels. */
    static final class Selectors {
        static boolean matches(JsonNode selector, Operands.Pod pod) {
            Map<String, String> labels = pod.labels();
            if (selector.isMissingNode() || selector.isEmpty()) {
                return true;
            }
            for (String key : Objects.fieldNames(selector.path("matchLabels"))) {
                if (!selector.path("matchLabels").path(key).asText().equals(labels.get(key))) {
                    return false;
                }
            }
            for (JsonNode e : Objects.list(selector.path("matchExpressions"))) {
                String value = labels.get(e.path("key").asText());
                List<String> values = Objects.list(e.path("values")).stream().map(JsonNode::asText).toList();
                boolean ok = switch (e.path("operator").asText()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
