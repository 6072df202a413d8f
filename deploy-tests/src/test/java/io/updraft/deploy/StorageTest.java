package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Volumes fit the pods that mount them: a ReadWriteOnce claim is held by one pod, so its Deployment is Recreate and
 * never runs two; release-service's filesystem store runs on one replica at most; its S3 store names a bucket and has
 * credentials (workload identity or a Secret).
 */
class StorageTest {
    private static final Set<String> SINGLE_NODE_MODES = Set.of("ReadWriteOnce", "ReadWriteOncePod");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void claimsAndTheArtifactStoreFitTheirDeployments(String overlay) {
        assertThat(storageProblems(Kustomize.overlay(overlay))).isEmpty();
    }

    @Test
    void devKeepsArtifactsOnOneReadWriteOnceVolumeAndProdInS3() {
        List<JsonNode> dev = Kustomize.overlay("dev");
        JsonNode devRelease = Objects.get(dev, "Deployment", "release-service");
        assertThat(CapacityTest.environment(dev, devRelease)).containsEntry("UPDRAFT_STORAGE_KIND", "filesystem");
        assertThat(devRelease.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(Objects.list(Objects.get(dev, "PersistentVolumeClaim", "release-artifacts").at("/spec/accessModes")))
                .extracting(JsonNode::asText).containsExactly("ReadWriteOnce");

        List<JsonNode> prod = Kustomize.overlay("prod");
        JsonNode prodRelease = Objects.get(prod, "Deployment", "release-service");
        Map<String, String> env = CapacityTest.environment(prod, prodRelease);
        assertThat(env).containsEntry("UPDRAFT_STORAGE_KIND", "s3")
                .containsKeys("UPDRAFT_STORAGE_S3_BUCKET", "UPDRAFT_STORAGE_S3_ENDPOINT", "UPDRAFT_STORAGE_S3_REGION");
        assertThat(prodRelease.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(Objects.ofKind(prod, "PersistentVolumeClaim")).as("no shared claim in prod (and no RWX class)").isEmpty();
        assertThat(Objects.get(prod, "ServiceAccount", "release-service").at("/metadata/annotations")
                .has("eks.amazonaws.com/role-arn")).as("S3 credentials by workload identity").isTrue();
        assertThat(prodRelease.at("/spec/template/spec/volumes").findValues("storageClassName")).as("the spool's class")
                .singleElement().extracting(JsonNode::asText).isNotEqualTo("rwx");
    }

    @Test
    void aReadWriteOnceClaimUnderARollingUpdateIsFound() {
        List<JsonNode> objects = CapacityTest.copy(Kustomize.overlay("dev"));
        ObjectNode strategy = (ObjectNode) Objects.get(objects, "Deployment", "release-service").at("/spec/strategy");
        strategy.put("type", "RollingUpdate");
        assertThat(storageProblems(objects)).singleElement().asString()
                .contains("release-service").contains("release-artifacts").contains("Recreate");
    }

    @Test
    void theFilesystemStoreOnMoreThanOneReplicaIsFound() {
        List<JsonNode> objects = CapacityTest.copy(Kustomize.overlay("dev"));
        ((ObjectNode) Objects.get(objects, "HorizontalPodAutoscaler", "release-service").get("spec")).put("maxReplicas", 3);
        assertThat(storageProblems(objects)).anySatisfy(p -> assertThat(p).contains("filesystem").contains("3"));

        // prod switched to the filesystem store on its per-pod spool: six replicas, six different stores.
        List<JsonNode> prod = CapacityTest.copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(prod, "ConfigMap", "release-service-config").get("data")).put("UPDRAFT_STORAGE_KIND",
                "filesystem");
        assertThat(storageProblems(prod)).anySatisfy(p -> assertThat(p).contains("filesystem"));
    }

    @Test
    void anS3StoreWithoutCredentialsIsFound() {
        List<JsonNode> objects = CapacityTest.copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(objects, "ServiceAccount", "release-service").get("metadata")).remove("annotations");
        ObjectNode container = (ObjectNode) Objects.container(objects, "release-service");
        ((com.fasterxml.jackson.databind.node.ArrayNode) container.get("env"))
                .removeIf(e -> e.path("name").asText().startsWith("UPDRAFT_STORAGE_S3_"));
        assertThat(storageProblems(objects)).singleElement().asString().contains("credentials");
    }

    static List<String> storageProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode deployment : Objects.ofKind(objects, "Deployment")) {
            String name = Objects.name(deployment);
            int maxPods = CapacityTest.autoscaler(objects, deployment).map(h -> h.at("/spec/maxReplicas").asInt())
                    .orElse(deployment.at("/spec/replicas").asInt(1));
            for (JsonNode volume : Objects.list(deployment.at("/spec/template/spec/volumes"))) {
                String claim = volume.at("/persistentVolumeClaim/claimName").asText(null);
                if (claim == null) {
                    continue;
                }
                JsonNode pvc = Objects.find(objects, "PersistentVolumeClaim", claim).orElse(null);
                if (pvc == null) {
                    problems.add(name + " mounts claim " + claim + ", which is not rendered");
                    continue;
                }
                List<String> modes = Objects.list(pvc.at("/spec/accessModes")).stream().map(JsonNode::asText).toList();
                if (modes.isEmpty() || SINGLE_NODE_MODES.containsAll(modes)) {
                    if (!"Recreate".equals(deployment.at("/spec/strategy/type").asText())) {
                        problems.add(name + " mounts the ReadWriteOnce claim " + claim + " but its strategy is "
                                + deployment.at("/spec/strategy/type").asText("RollingUpdate")
                                + ", not Recreate: the new pod would wait for the volume the old one holds");
                    }
                    if (maxPods > 1) {
                        problems.add(name + " mounts the ReadWriteOnce claim " + claim + " with up to " + maxPods + " pods");
                    }
                }
            }
            if (!name.equals("release-service")) {
                continue;
            }
            Map<String, String> env = CapacityTest.environment(objects, deployment);
            String kind = env.getOrDefault("UPDRAFT_STORAGE_KIND",
                    CapacityTest.serviceProperty(name, "updraft.storage.kind").orElse("filesystem"));
            if (kind.equals("filesystem") && maxPods > 1) {
                problems.add(name + " keeps artifacts on the filesystem with up to " + maxPods
                        + " replicas: each would have its own store (filesystem storage: one replica, Recreate)");
            }
            if (kind.equals("s3")) {
                for (String key : List.of("UPDRAFT_STORAGE_S3_BUCKET", "UPDRAFT_STORAGE_S3_REGION")) {
                    if (env.getOrDefault(key, "").isBlank()) {
                        problems.add(name + " uses S3 without " + key);
                    }
                }
                JsonNode account = Objects.find(objects, "ServiceAccount",
                        deployment.at("/spec/template/spec/serviceAccountName").asText()).orElse(null);
                boolean identity = account != null && Objects.fieldNames(account.at("/metadata/annotations")).stream()
                        .anyMatch(a -> a.equals("eks.amazonaws.com/role-arn") || a.equals("iam.gke.io/gcp-service-account")
                                || a.equals("azure.workload.identity/client-id"));
                List<String> secretKeys = Objects.list(deployment.at("/spec/template/spec/containers/0/env")).stream()
                        .filter(e -> e.at("/valueFrom/secretKeyRef/name").isTextual()).map(e -> e.path("name").asText())
                        .toList();
                boolean staticKeys = secretKeys.containsAll(List.of("UPDRAFT_STORAGE_S3_ACCESS_KEY",
                        "UPDRAFT_STORAGE_S3_SECRET_KEY"));
                if (!identity && !staticKeys) {
                    problems.add(name + " uses S3 with no credentials: neither a workload identity annotation on its"
                            + " ServiceAccount nor UPDRAFT_STORAGE_S3_ACCESS_KEY/SECRET_KEY from a Secret");
                }
            }
        }
        return problems;
    }
}
