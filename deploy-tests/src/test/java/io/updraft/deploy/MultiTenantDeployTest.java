package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several tenants (ADR 0021, issue 23): the dev and prod overlays with {@code components/multi-tenant} added, as an
 * operator adds it. Every service then runs in multi mode from the one ConfigMap that sets the mode, device-gateway
 * serves the tenants of its Secret, the device host routes every tenant's DDI path and nothing else, telemetry bounds
 * its tenant labels — and the overlays without the component stay single-tenant.
 */
class MultiTenantDeployTest {
    private static final String MODE = "UPDRAFT_TENANCY_MODE";
    private static final String MODE_SOURCE = "updraft-common";
    private static final Map<String, List<JsonNode>> MULTI = new ConcurrentHashMap<>();
    private static final KubernetesSchemas SCHEMAS = KubernetesSchemas.vendored();

    @TempDir
    static Path dir;

    /** {@code overlays/<overlay>} with {@code components/multi-tenant} after {@code components/values}, once per JVM. */
    static List<JsonNode> multi(String overlay) {
        return MULTI.computeIfAbsent(overlay, o -> {
            Path deploy = Kustomize.copyOfDeploy(dir.resolve(o));
            Path kustomization = deploy.resolve("overlays/" + o + "/kustomization.yaml");
            try {
                String text = Files.readString(kustomization);
                assertThat(text).contains("  - ../../components/values\n");
                Files.writeString(kustomization, text.replace("  - ../../components/values\n",
                        "  - ../../components/values\n  - ../../components/multi-tenant\n"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return Kustomize.render(deploy.resolve("overlays/" + o));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceRunsInMultiModeWithTheComponentAndInSingleModeWithout(String overlay) {
        assertThat(modeProblems(multi(overlay))).isEmpty();
        assertThat(modeProblems(Kustomize.overlay(overlay))).isEmpty();
        for (String service : Repo.SERVICES) {
            assertThat(ServiceFacts.of(service).reads(MODE)).as("%s reads updraft.tenancy.mode", service).isTrue();
            assertThat(effectiveEnv(multi(overlay), service, MODE)).as(service).contains("multi");
            assertThat(effectiveEnv(Kustomize.overlay(overlay), service, MODE)).as(service).contains("single");
        }
    }

    @Test
    void aModeSetAnywhereElseIsCaughtSoTheServicesCannotDisagree() {
        List<JsonNode> inServiceConfig = CapacityTest.copy(multi("dev"));
        ((ObjectNode) Objects.get(inServiceConfig, "ConfigMap", "rollout-service-config").get("data")).put(MODE, "single");
        assertThat(modeProblems(inServiceConfig)).anySatisfy(p -> assertThat(p).contains("rollout-service-config"));

        List<JsonNode> inEnv = CapacityTest.copy(multi("dev"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) Objects.container(inEnv, "telemetry-service").get("env"))
                .addObject().put("name", MODE).put("value", "multi");
        assertThat(modeProblems(inEnv)).anySatisfy(p -> assertThat(p).contains("telemetry-service sets"));

        List<JsonNode> notShared = CapacityTest.copy(multi("dev"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) Objects.container(notShared, "device-gateway").get("envFrom"))
                .removeIf(e -> e.at("/configMapRef/name").asText().equals(MODE_SOURCE));
        assertThat(modeProblems(notShared)).anySatisfy(p -> assertThat(p).contains("device-gateway does not read"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theGatewayServesTheTenantsOfItsSecretAndNotTheSingleTenantsToken(String overlay) throws IOException {
        List<JsonNode> objects = multi(overlay);
        JsonNode pod = Objects.get(objects, "Deployment", "device-gateway").at("/spec/template/spec");
        JsonNode container = Objects.container(objects, "device-gateway");
        JsonNode volume = Objects.list(pod.get("volumes")).stream()
                .filter(v -> v.at("/secret/secretName").asText().equals("updraft-gateway-tenants")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume of Secret updraft-gateway-tenants"));
        assertThat(volume.at("/secret/optional").asBoolean(false)).as("no tenants, no start").isFalse();
        assertThat(Objects.list(volume.at("/secret/items"))).singleElement().satisfies(item -> {
            assertThat(item.path("key").asText()).isEqualTo("tenants.properties");
            assertThat(item.path("path").asText()).isEqualTo("application.properties");
        });
        // Quarkus reads $PWD/config/application.properties at start-up: the image's working directory
        String workingDirectory = ServiceFacts.of("device-gateway").property("quarkus.jib.working-directory").orElseThrow();
        JsonNode mount = Objects.list(container.get("volumeMounts")).stream()
                .filter(m -> m.path("name").asText().equals(volume.path("name").asText())).findFirst().orElseThrow();
        assertThat(mount.path("mountPath").asText()).isEqualTo(workingDirectory + "/config");
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        assertThat(ServiceFacts.of("device-gateway").configProperties()).as("the map the file's keys fill")
                .contains("updraft.gateway.tenants");

        assertThat(Objects.list(container.get("env")).stream().map(e -> e.path("name").asText()))
                .doesNotContain("UPDRAFT_GATEWAY_GATEWAY_TOKEN");
        assertThat(container.toString()).doesNotContain("updraft-gateway-token\"");
        assertThat(Objects.ofKind(objects, "Secret")).as("Secrets are only referenced").isEmpty();
        String readme = Files.readString(Repo.deploy().resolve("README.md"));
        assertThat(readme).contains("updraft-gateway-tenants", "tenants.properties",
                "updraft.gateway.tenants.<TENANT>.gateway-token");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyKeyAndVariableOfTheMultiTenantRenderingIsOneTheServiceReads(String overlay) {
        ServiceWiringTest.assertEveryKeyIsOneTheServiceReads(multi(overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void telemetryBoundsItsTenantLabelsByTheOverlaysValue(String overlay) throws IOException {
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(Repo.deploy().resolve("overlays/" + overlay + "/values.env"))) {
            values.load(reader);
        }
        assertThat(ServiceFacts.of("telemetry-service").reads("UPDRAFT_METRICS_MAX_TENANTS")).isTrue();
        assertThat(effectiveEnv(multi(overlay), "telemetry-service", "UPDRAFT_METRICS_MAX_TENANTS"))
                .contains(values.getProperty("METRICS_MAX_TENANTS"));
        assertThat(Integer.parseInt(values.getProperty("METRICS_MAX_TENANTS"))).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theDeviceHostRoutesEveryTenantsDdiPathAndDeltaLinksAndNothingElse(String overlay) {
        JsonNode route = Objects.get(multi(overlay), "HTTPRoute", "updraft-devices");
        List<Pattern> paths = new ArrayList<>();
        for (JsonNode rule : Objects.list(route.at("/spec/rules"))) {
            assertThat(Objects.list(rule.get("backendRefs"))).singleElement().satisfies(b -> {
                assertThat(b.path("name").asText()).isEqualTo("device-gateway");
                assertThat(b.path("port").asInt()).isEqualTo(ServiceFacts.of("device-gateway").httpPort());
            });
            assertThat(rule.at("/timeouts/request").asText()).as("downloads stream").isEqualTo("0s");
            for (JsonNode match : Objects.list(rule.get("matches"))) {
                assertThat(match.at("/path/type").asText()).isEqualTo("RegularExpression");
                String regex = match.at("/path/value").asText();
                assertThat(regex).as("anchored").startsWith("^").endsWith("$");
                paths.add(Pattern.compile(regex));
            }
        }
        String longest = "A" + "b".repeat(39);
        for (String routed : List.of("/ACME/controller/v1/gw-1", "/DEFAULT/controller/v1/gw-1/deploymentBase/7",
                "/acme-eu_2/controller/v1", "/" + longest + "/controller/v1/gw-1/softwaremodules/3/artifacts/fw.swu",
                "/delta/v1/ACME/" + "a".repeat(64) + ".zck")) {
            assertThat(paths.stream().anyMatch(p -> p.matcher(routed).matches())).as("routes %s", routed).isTrue();
        }
        for (String refused : List.of("/", "/q/health", "/q/metrics", "/api/v1/devices", "/gateway/api/v1/devices",
                "/api/v1/delta-links", "/ACME/api/v1/devices", "/ACME/controller/v2/gw-1", "/ACME/controller/v1x",
                "/a/b/controller/v1", "/-ACME/controller/v1", "/" + longest + "x/controller/v1", "/delta/v1/ACME",
                "/delta/v1/ACME/", "/delta/v1/ACME/x/y.zck", "/delta/v2/ACME/x.zck", "/dashboard.html")) {
            assertThat(paths.stream().noneMatch(p -> p.matcher(refused).matches())).as("refuses %s", refused).isTrue();
        }
        assertThat(ServiceFacts.of("device-gateway").serves("/{tenant}/controller/v1")).isTrue();
        assertThat(ServiceFacts.of("device-gateway").serves("/delta/v1/{tenant}")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theMultiTenantRenderingFitsTheSchemas(String overlay) {
        List<String> problems = new ArrayList<>();
        multi(overlay).forEach(o -> problems.addAll(SCHEMAS.problems(o)));
        assertThat(problems).isEmpty();
        Set<String> single = new TreeSet<>(Kustomize.overlay(overlay).stream().map(Objects::id).toList());
        assertThat(new TreeSet<>(multi(overlay).stream().map(Objects::id).toList()))
                .as("the component changes objects, it adds and removes none").isEqualTo(single);
    }

    /**
     * Why the services could run in different modes: a ConfigMap other than updraft-common or a container's own env
     * setting the mode, a service that does not read updraft-common, or services whose effective modes differ.
     */
    static List<String> modeProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode configMap : Objects.ofKind(objects, "ConfigMap")) {
            if (!Objects.name(configMap).equals(MODE_SOURCE) && configMap.path("data").has(MODE)) {
                problems.add("ConfigMap " + Objects.name(configMap) + " sets " + MODE);
            }
        }
        Map<String, String> modes = new TreeMap<>();
        for (String service : Repo.SERVICES) {
            JsonNode container = Objects.container(objects, service);
            if (Objects.list(container.get("env")).stream().anyMatch(e -> e.path("name").asText().equals(MODE))) {
                problems.add(service + " sets " + MODE + " in its env");
            }
            if (Objects.list(container.get("envFrom")).stream()
                    .noneMatch(e -> e.at("/configMapRef/name").asText().equals(MODE_SOURCE))) {
                problems.add(service + " does not read ConfigMap " + MODE_SOURCE);
            }
            modes.put(service, effectiveEnv(objects, service, MODE).orElse("single"));
        }
        String shared = Optional.ofNullable(Objects.get(objects, "ConfigMap", MODE_SOURCE).at("/data/" + MODE).textValue())
                .orElse("single");
        modes.forEach((service, mode) -> {
            if (!mode.equals(shared)) {
                problems.add(service + " runs " + mode + ", " + MODE_SOURCE + " says " + shared);
            }
        });
        return problems;
    }

    /** A variable as the container sees it: its own env wins, else the last envFrom ConfigMap that has it. */
    static Optional<String> effectiveEnv(List<JsonNode> objects, String service, String name) {
        JsonNode container = Objects.container(objects, service);
        Optional<String> own = Objects.list(container.get("env")).stream()
                .filter(e -> e.path("name").asText().equals(name) && e.has("value"))
                .map(e -> e.path("value").asText()).reduce((first, second) -> second);
        if (own.isPresent()) {
            return own;
        }
        String value = null;
        for (JsonNode source : Objects.list(container.get("envFrom"))) {
            JsonNode data = Objects.find(objects, "ConfigMap", source.at("/configMapRef/name").asText())
                    .map(c -> c.path("data")).orElse(null);
            if (data != null && data.has(name)) {
                value = data.get(name).asText();
            }
        }
        return Optional.ofNullable(value);
    }
}
