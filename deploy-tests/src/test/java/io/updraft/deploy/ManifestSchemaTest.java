package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every overlay renders offline, and every object it renders fits the schema of its kind. */
class ManifestSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyRenderedObjectFitsTheSchemaOfItsKind(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);

        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            if (CloudNativePgShapes.covers(object)) {
                problems.addAll(CloudNativePgShapes.check(object));
                continue;
            }
            try {
                StrictModels.read(object);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        assertThat(problems).as("objects of overlay %s that do not fit their schema", overlay).isEmpty();
        assertThat(objects.stream().map(StrictModels::key).distinct())
                .as("everything a deployment needs is rendered")
                .contains("apps/v1/Deployment", "v1/Service", "v1/ConfigMap", "v1/ServiceAccount",
                        "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
                        "networking.k8s.io/v1/NetworkPolicy", "networking.k8s.io/v1/Ingress",
                        "monitoring.coreos.com/v1/ServiceMonitor", "kafka.strimzi.io/v1beta2/Kafka",
                        "kafka.strimzi.io/v1beta2/KafkaNodePool", "kafka.strimzi.io/v1beta2/KafkaTopic",
                        "kafka.strimzi.io/v1beta2/KafkaUser", "postgresql.cnpg.io/v1/Cluster",
                        "postgresql.cnpg.io/v1/Database");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyObjectLandsInTheOverlaysNamespace(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        JsonNode namespace = Objects.ofKind(objects, "Namespace").get(0);

        assertThat(objects.stream().filter(o -> !o.path("kind").asText().equals("Namespace"))
                .filter(o -> !Objects.name(namespace).equals(o.at("/metadata/namespace").asText()))
                .map(Objects::id)).as("objects outside namespace %s", Objects.name(namespace)).isEmpty();
        assertThat(objects.stream().map(Objects::id).distinct().count()).as("no object twice").isEqualTo(objects.size());
    }

    @Test
    void theSchemaCheckRejectsAMisspeltField() {
        JsonNode deployment = copy("Deployment", "rollout-service");
        ((ObjectNode) deployment.get("spec")).put("replica", 2);
        assertThatThrownBy(() -> StrictModels.read(deployment)).hasMessageContaining("replica");

        JsonNode probe = copy("Deployment", "rollout-service");
        ((ObjectNode) probe.at("/spec/template/spec/containers/0/readinessProbe/httpGet")).put("pathh", "/q/health/ready");
        assertThatThrownBy(() -> StrictModels.read(probe)).hasMessageContaining("pathh");

        JsonNode topic = copy("KafkaTopic", "device-reports");
        ((ObjectNode) topic.get("spec")).put("partitons", 12);
        assertThatThrownBy(() -> StrictModels.read(topic)).hasMessageContaining("partitons");

        JsonNode user = copy("KafkaUser", "rollout-service");
        ((ObjectNode) user.at("/spec/authorization/acls/0/resource")).put("nmae", "releases");
        assertThatThrownBy(() -> StrictModels.read(user)).hasMessageContaining("nmae");

        JsonNode monitor = copy("ServiceMonitor", "device-gateway");
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("paht", "/q/metrics");
        assertThatThrownBy(() -> StrictModels.read(monitor)).hasMessageContaining("paht");

        JsonNode cluster = copy("Cluster", "updraft-postgres");
        ((ObjectNode) cluster.get("spec")).put("instance", 3);
        assertThat(CloudNativePgShapes.check(cluster)).anyMatch(p -> p.contains("spec.instance: unknown field"));
    }

    @Test
    void theSchemaCheckRejectsAValueOfTheWrongType() {
        JsonNode deployment = copy("Deployment", "release-service");
        ((ObjectNode) deployment.get("spec")).put("replicas", "two");
        assertThatThrownBy(() -> StrictModels.read(deployment)).isInstanceOf(AssertionError.class);

        JsonNode database = copy("Database", "updraft-gateway");
        ((ObjectNode) database.get("spec")).put("ensure", "maybe");
        assertThat(CloudNativePgShapes.check(database)).anyMatch(p -> p.contains("spec.ensure"));
    }

    @Test
    void anObjectOfAnUnknownKindIsAnError() {
        JsonNode unknown = copy("Deployment", "release-service");
        ((ObjectNode) unknown).put("kind", "Deploymnet");
        assertThatThrownBy(() -> StrictModels.read(unknown)).hasMessageContaining("no schema");
    }

    private static JsonNode copy(String kind, String name) {
        return Objects.get(Kustomize.overlay("dev"), kind, name).deepCopy();
    }
}
