package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay renders offline, and every object it renders is one the API server of Kubernetes 1.34 with the pinned
 * operators' CRDs would accept: {@link KubernetesSchemas} against the schemas vendored in deploy/vendor.
 */
class ManifestSchemaTest {
    private static final KubernetesSchemas SCHEMAS = KubernetesSchemas.vendored();

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod", "infra" })
    void everyRenderedObjectFitsTheSchemaOfItsKind(String kustomization) {
        List<JsonNode> objects = render(kustomization);

        List<String> problems = new ArrayList<>();
        objects.forEach(o -> problems.addAll(SCHEMAS.problems(o)));

        assertThat(problems).as("objects of %s the API server would refuse", kustomization).isEmpty();
        assertThat(objects).as("%s renders something", kustomization).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everythingADeploymentNeedsIsRendered(String overlay) {
        assertThat(Kustomize.overlay(overlay).stream().map(KubernetesSchemas::key).distinct())
                .contains("apps/v1/Deployment", "v1/Service", "v1/ConfigMap", "v1/ServiceAccount",
                        "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
                        "networking.k8s.io/v1/NetworkPolicy", "monitoring.coreos.com/v1/ServiceMonitor",
                        "monitoring.coreos.com/v1/PodMonitor", "kafka.strimzi.io/v1/Kafka",
                        "kafka.strimzi.io/v1/KafkaNodePool", "kafka.strimzi.io/v1/KafkaTopic",
                        "kafka.strimzi.io/v1/KafkaUser", "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Database",
                        "postgresql.cnpg.io/v1/ScheduledBackup", "barmancloud.cnpg.io/v1/ObjectStore");
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
    void aStrimziResourceOfAnApiVersionStrimziNoLongerServesIsRefused() throws IOException {
        // Strimzi 0.48's own shape of our Kafka (v1beta2): Strimzi 1.x serves only kafka.strimzi.io/v1
        JsonNode kafka = sample("schema-samples/strimzi-0.48-kafka-v1beta2.yaml");

        assertThat(SCHEMAS.problems(kafka)).singleElement().asString()
                .contains("kafka.strimzi.io/v1beta2/Kafka", "does not serve v1beta2", "[v1]");

        ((ObjectNode) kafka).put("apiVersion", "kafka.strimzi.io/v1");
        assertThat(SCHEMAS.problems(kafka)).as("the same Kafka as v1 gets as far as its fields")
                .noneMatch(p -> p.contains("does not serve"));
    }

    @Test
    void aMisspeltFieldIsRefused() {
        JsonNode deployment = copy("Deployment", "rollout-service");
        ((ObjectNode) deployment.get("spec")).put("replica", 2);
        assertThat(SCHEMAS.problems(deployment)).singleElement().asString().contains("/spec", "replica");

        JsonNode probe = copy("Deployment", "rollout-service");
        ((ObjectNode) probe.at("/spec/template/spec/containers/0/readinessProbe/httpGet")).put("pathh", "/q/health/ready");
        assertThat(SCHEMAS.problems(probe)).singleElement().asString().contains("/readinessProbe/httpGet", "pathh");

        JsonNode label = copy("Service", "device-gateway");
        ((ObjectNode) label.get("metadata")).put("label", "x");
        assertThat(SCHEMAS.problems(label)).singleElement().asString().contains("/metadata", "label");

        JsonNode topic = copy("KafkaTopic", "device-reports");
        ((ObjectNode) topic.get("spec")).put("partitons", 12);
        assertThat(SCHEMAS.problems(topic)).singleElement().asString().contains("partitons");

        JsonNode user = copy("KafkaUser", "rollout-service");
        ((ObjectNode) user.at("/spec/authorization/acls/0/resource")).put("nmae", "releases");
        assertThat(SCHEMAS.problems(user)).anyMatch(p -> p.contains("nmae"));

        JsonNode monitor = copy("ServiceMonitor", "device-gateway");
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("paht", "/q/metrics");
        assertThat(SCHEMAS.problems(monitor)).singleElement().asString().contains("paht");

        JsonNode cluster = copy("Cluster", "updraft-postgres");
        ((ObjectNode) cluster.get("spec")).put("instance", 3);
        assertThat(SCHEMAS.problems(cluster)).singleElement().asString().contains("instance");

        JsonNode customMeta = copy("KafkaTopic", "releases");
        ((ObjectNode) customMeta.get("metadata")).put("lables", "x");
        assertThat(SCHEMAS.problems(customMeta)).as("a custom resource's metadata is ObjectMeta")
                .singleElement().asString().contains("lables");
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        JsonNode deployment = copy("Deployment", "release-service");
        ((ObjectNode) deployment.get("spec")).put("revisionHistoryLimit", "two");
        assertThat(SCHEMAS.problems(deployment)).singleElement().asString().contains("revisionHistoryLimit", "integer");

        JsonNode topic = copy("KafkaTopic", "device-reports");
        ((ObjectNode) topic.get("spec")).put("partitions", "twelve");
        assertThat(SCHEMAS.problems(topic)).singleElement().asString().contains("partitions", "integer");

        JsonNode finalizers = copy("Service", "device-gateway");
        ((ObjectNode) finalizers.get("metadata")).putArray("finalizers").add("a.io/x").add("a.io/x");
        assertThat(SCHEMAS.problems(finalizers)).as("a list-type set with a duplicate")
                .singleElement().asString().contains("/metadata/finalizers");

        JsonNode database = copy("Database", "updraft-gateway");
        ((ObjectNode) database.get("spec")).put("ensure", "maybe");
        assertThat(SCHEMAS.problems(database)).singleElement().asString().contains("ensure");

        JsonNode backup = copy("ScheduledBackup", "updraft-postgres-daily");
        ((ObjectNode) backup.get("spec")).put("method", "tape");
        assertThat(SCHEMAS.problems(backup)).singleElement().asString().contains("method");
    }

    @Test
    void whatTheSchemasLeaveOpenStaysOpen() {
        // Strimzi's spec.kafka.config is x-kubernetes-preserve-unknown-fields: any broker setting is the broker's call
        JsonNode kafka = copy("Kafka", "updraft");
        ((ObjectNode) kafka.at("/spec/kafka/config")).put("log.cleaner.threads", 2);
        assertThat(SCHEMAS.problems(kafka)).isEmpty();

        // IntOrString and Quantity take numbers and strings, as the API server does
        JsonNode service = copy("Service", "device-gateway");
        ((ObjectNode) service.at("/spec/ports/0")).put("targetPort", "http");
        assertThat(SCHEMAS.problems(service)).isEmpty();
        ((ObjectNode) service.at("/spec/ports/0")).put("targetPort", 8083);
        assertThat(SCHEMAS.problems(service)).isEmpty();
        JsonNode quantity = copy("Deployment", "device-gateway");
        ((ObjectNode) quantity.at("/spec/template/spec/containers/0/resources/requests")).put("cpu", 1);
        assertThat(SCHEMAS.problems(quantity)).isEmpty();
        ((ObjectNode) quantity.at("/spec/template/spec/containers/0/resources/requests")).put("cpu", "lots");
        assertThat(SCHEMAS.problems(quantity)).isNotEmpty().allMatch(p -> p.contains("/resources/requests/cpu"));
    }

    @Test
    void anObjectOfAKindNoSchemaKnowsIsRefused() {
        JsonNode misspelt = copy("Deployment", "release-service");
        ((ObjectNode) misspelt).put("kind", "Deploymnet");
        assertThat(SCHEMAS.problems(misspelt)).singleElement().asString().contains("not a kind Kubernetes 1.34 serves");

        JsonNode removed = copy("PodDisruptionBudget", "release-service");
        ((ObjectNode) removed).put("apiVersion", "policy/v1beta1");
        assertThat(SCHEMAS.problems(removed)).singleElement().asString().contains("not a kind Kubernetes 1.34 serves");

        JsonNode unvendored = copy("ConfigMap", "updraft-common");
        ((ObjectNode) unvendored).put("apiVersion", "cert-manager.io/v1").put("kind", "Certificate");
        assertThat(SCHEMAS.problems(unvendored)).singleElement().asString().contains("no vendored CRD for cert-manager.io");

        JsonNode unknownKindOfKnownGroup = copy("KafkaTopic", "releases");
        ((ObjectNode) unknownKindOfKnownGroup).put("kind", "KafkaConnect");
        assertThat(SCHEMAS.problems(unknownKindOfKnownGroup)).singleElement().asString()
                .contains("no vendored CRD for kafka.strimzi.io KafkaConnect");
    }

    private static List<JsonNode> render(String kustomization) {
        return kustomization.startsWith("overlays/") ? Kustomize.overlay(kustomization.substring("overlays/".length()))
                : Kustomize.render(Repo.deploy().resolve(kustomization));
    }

    private static JsonNode sample(String resource) throws IOException {
        try (InputStream in = ManifestSchemaTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return Kustomize.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get(0);
        }
    }

    private static JsonNode copy(String kind, String name) {
        return Objects.get(Kustomize.overlay("dev"), kind, name).deepCopy();
    }
}
