package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production's values are in one place (overlays/prod/values.env), shipped as placeholders that cannot pass for real
 * ones; deploy/render.sh refuses prod while any is left and names each, and renders it clean once they are filled —
 * every value landing where it belongs and the rendering passing the other checks.
 */
class ProdPlaceholderTest {
    /** What an operator might fill in: nothing here is a placeholder, an example.com or a .invalid name. */
    static final Map<String, String> FILLED = new LinkedHashMap<>();

    static {
        FILLED.put("DEVICE_HOST", "devices.fleet.acme-corp.io");
        FILLED.put("OPERATOR_API_HOST", "updraft.ops.acme-corp.io");
        FILLED.put("TLS_SECRET", "updraft-tls");
        FILLED.put("GATEWAY_CLASS", "eg");
        FILLED.put("GATEWAY_PROXY_NAMESPACE", "envoy-gateway-system");
        FILLED.put("JWT_ISSUER", "https://login.acme-corp.io/realms/updraft");
        FILLED.put("CONSOLE_OIDC_CLIENT_ID", "acme-updraft-console");
        FILLED.put("IMAGE_REGISTRY", "registry.acme-corp.io:5000/updraft");
        FILLED.put("IMAGE_TAG", "0.1.0");
        FILLED.put("STORAGE_CLASS_SERVICES", "gp3");
        FILLED.put("STORAGE_CLASS_KAFKA", "gp3-kafka");
        FILLED.put("STORAGE_CLASS_POSTGRES", "gp3-postgres");
        FILLED.put("ARTIFACT_BUCKET", "acme-updraft-artifacts");
        FILLED.put("ARTIFACT_S3_ENDPOINT", "https://s3.eu-central-1.amazonaws.com");
        FILLED.put("ARTIFACT_S3_REGION", "eu-central-1");
        FILLED.put("RELEASE_SERVICE_ROLE_ARN", "arn:aws:iam::123456789012:role/updraft-release-service");
        FILLED.put("BACKUP_DESTINATION_PATH", "s3://acme-updraft-backups/updraft-postgres");
        FILLED.put("BACKUP_S3_ENDPOINT", "https://s3.eu-central-1.amazonaws.com");
        FILLED.put("BACKUP_CREDENTIALS_SECRET", "updraft-postgres-backup");
        FILLED.put("METRICS_MAX_TENANTS", "20");
    }

    /**
     * Values shipped ready to use: names the operator creates things under (deploy/infra/README.md), and the tenant
     * label bound components/multi-tenant reads (MultiTenantDeployTest checks where it lands).
     */
    static final Map<String, String> USABLE_DEFAULTS = Map.of("BACKUP_CREDENTIALS_SECRET", "updraft-postgres-backup",
            "CONSOLE_OIDC_CLIENT_ID", "updraft-console", "METRICS_MAX_TENANTS", "20");

    @Test
    void prodAsShippedIsRefusedAndEveryPlaceholderNamed() throws IOException {
        Map<String, String> shipped = values(Repo.deploy().resolve("overlays/prod/values.env"));
        assertThat(shipped.keySet()).as("the values the checks below fill").containsExactlyInAnyOrderElementsOf(FILLED.keySet());
        Map<String, String> placeholders = new LinkedHashMap<>(shipped);
        placeholders.keySet().removeAll(USABLE_DEFAULTS.keySet());
        assertThat(shipped).as("defaults that are real values").containsAllEntriesOf(USABLE_DEFAULTS);
        assertThat(placeholders).allSatisfy((key, value) -> assertThat(value).as(key)
                .contains("placeholder-" + key.toLowerCase(Locale.ROOT).replace('_', '-')));

        Kustomize.Script render = Kustomize.renderScript(Repo.deploy(), "prod");
        System.out.println(render.stderr());
        assertThat(render.exitCode()).as("render.sh prod as shipped").isEqualTo(1);
        assertThat(render.stdout()).as("nothing to apply").isBlank();
        assertThat(render.stderr().lines().filter(l -> l.startsWith("  "))).hasSize(placeholders.size());
        for (String key : placeholders.keySet()) {
            assertThat(render.stderr()).as("named: %s (a value that reaches nothing would not be)", key)
                    .containsPattern("(?m)^  " + key + " \\(");
        }
    }

    @Test
    void prodWithItsValuesFilledRendersCleanAndPassesTheChecks(@TempDir Path dir) throws IOException {
        Path deploy = Kustomize.copyOfDeploy(dir);
        writeValues(deploy, FILLED);
        Kustomize.Script render = Kustomize.renderScript(deploy, "prod");
        assertThat(render.exitCode()).as(render.stderr()).isZero();
        List<JsonNode> objects = render.objects();

        JsonNode gateway = Objects.get(objects, "Gateway", "updraft");
        assertThat(gateway.at("/spec/gatewayClassName").asText()).isEqualTo("eg");
        assertThat(Objects.list(gateway.at("/spec/listeners"))).extracting(l -> l.path("hostname").asText())
                .containsExactly("devices.fleet.acme-corp.io", "updraft.ops.acme-corp.io");
        assertThat(gateway.findValues("certificateRefs")).allSatisfy(r -> assertThat(r.at("/0/name").asText())
                .isEqualTo("updraft-tls"));
        assertThat(Objects.get(objects, "HTTPRoute", "updraft-devices").at("/spec/hostnames/0").asText())
                .isEqualTo("devices.fleet.acme-corp.io");
        assertThat(Objects.get(objects, "HTTPRoute", "updraft-api").at("/spec/hostnames/0").asText())
                .isEqualTo("updraft.ops.acme-corp.io");
        assertThat(GatewayRouteTest.deviceHost(objects)).isEqualTo("devices.fleet.acme-corp.io");
        assertThat(Objects.get(objects, "NetworkPolicy", "updraft-from-gateway")
                .at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("envoy-gateway-system");
        assertThat(Objects.get(objects, "ConfigMap", "updraft-common").at("/data/MP_JWT_VERIFY_ISSUER").asText())
                .isEqualTo("https://login.acme-corp.io/realms/updraft");
        // the console signs operators in at the issuer whose tokens the services accept, with the client named
        assertThat(CapacityTest.environment(objects, Objects.get(objects, "Deployment", "console")))
                .containsEntry("UPDRAFT_CONSOLE_OIDC_ISSUER", "https://login.acme-corp.io/realms/updraft")
                .containsEntry("UPDRAFT_CONSOLE_OIDC_CLIENT_ID", "acme-updraft-console");
        for (String service : Repo.WORKLOADS) {
            assertThat(Objects.container(objects, service).path("image").asText())
                    .isEqualTo("registry.acme-corp.io:5000/updraft/" + service + ":0.1.0");
        }
        JsonNode release = Objects.get(objects, "Deployment", "release-service");
        assertThat(CapacityTest.environment(objects, release)).containsEntry("UPDRAFT_STORAGE_KIND", "s3")
                .containsEntry("UPDRAFT_STORAGE_S3_BUCKET", "acme-updraft-artifacts")
                .containsEntry("UPDRAFT_STORAGE_S3_ENDPOINT", "https://s3.eu-central-1.amazonaws.com")
                .containsEntry("UPDRAFT_STORAGE_S3_REGION", "eu-central-1");
        assertThat(release.at("/spec/template/spec/volumes").findValues("storageClassName")).extracting(JsonNode::asText)
                .containsExactly("gp3");
        assertThat(Objects.get(objects, "ServiceAccount", "release-service").at("/metadata/annotations")
                .path("eks.amazonaws.com/role-arn").asText()).isEqualTo("arn:aws:iam::123456789012:role/updraft-release-service");
        assertThat(Objects.ofKind(objects, "KafkaNodePool")).isNotEmpty().allSatisfy(pool -> assertThat(
                pool.at("/spec/storage/volumes/0/class").asText()).isEqualTo("gp3-kafka"));
        assertThat(Objects.ofKind(objects, "Cluster")).isNotEmpty().allSatisfy(cluster -> assertThat(
                cluster.at("/spec/storage/storageClass").asText()).isEqualTo("gp3-postgres"));
        JsonNode store = Objects.ofKind(objects, "ObjectStore").get(0).at("/spec/configuration");
        assertThat(store.path("destinationPath").asText()).isEqualTo("s3://acme-updraft-backups/updraft-postgres");
        assertThat(store.path("endpointURL").asText()).isEqualTo("https://s3.eu-central-1.amazonaws.com");
        assertThat(store.findValues("name")).extracting(JsonNode::asText).containsOnly("updraft-postgres-backup");

        List<String> report = new java.util.ArrayList<>();
        assertThat(CapacityTest.connectionProblems(objects, report)).isEmpty();
        assertThat(CapacityTest.fixedReplicaProblems(objects)).isEmpty();
        assertThat(CapacityTest.disruptionProblems(objects)).isEmpty();
        assertThat(CapacityTest.telemetryMemoryProblems(objects, report)).isEmpty();
        assertThat(StorageTest.storageProblems(objects)).isEmpty();
        assertThat(GatewayRouteTest.routeProblems(objects)).isEmpty();
        assertThat(ServiceMonitorTest.monitorProblems(objects)).isEmpty();
        assertThat(GatewayRouteTest.oneOriginProblems(objects)).isEmpty();
        assertThat(ServiceWiringTest.hardeningProblems(objects)).isEmpty();
    }

    @Test
    void aValueLeftAsAnExampleNameIsRefused(@TempDir Path dir) throws IOException {
        Path deploy = Kustomize.copyOfDeploy(dir);
        Map<String, String> values = new LinkedHashMap<>(FILLED);
        values.put("DEVICE_HOST", "devices.example.com");
        writeValues(deploy, values);
        Kustomize.Script render = Kustomize.renderScript(deploy, "prod");
        assertThat(render.exitCode()).isEqualTo(1);
        assertThat(render.stderr()).contains("devices.example.com").doesNotContain("DEVICE_HOST (");
    }

    @Test
    void devRendersCleanAndAMissingOverlayIsAUsageError() {
        Kustomize.Script dev = Kustomize.renderScript(Repo.deploy(), "dev");
        assertThat(dev.exitCode()).as(dev.stderr()).isZero();
        assertThat(dev.objects()).hasSameSizeAs(Kustomize.overlay("dev"));
        assertThat(Kustomize.renderScript(Repo.deploy(), "staging").exitCode()).isEqualTo(2);
    }

    static Map<String, String> values(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b, LinkedHashMap::new));
    }

    private static void writeValues(Path deploy, Map<String, String> values) throws IOException {
        Files.writeString(deploy.resolve("overlays/prod/values.env"), values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
    }
}
