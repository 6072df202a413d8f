package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Deployment fits the service (or the console) it runs: ports, probes, configuration, secrets, database, scaling,
 * exposure, a hardened container.
 */
class ServiceWiringTest {
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started");
    private static final Pattern SECRET_LIKE = Pattern.compile(".*(PASSWORD|TOKEN|SIGNING_KEY|LINK_KEY|JAAS|SECRET).*");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void containersListenOnTheServicesPortAndProbeItsHealthEndpoints(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        for (String service : Repo.WORKLOADS) {
            ServiceFacts facts = ServiceFacts.of(service);
            JsonNode container = Objects.container(objects, service);
            assertThat(facts.hasDependency("quarkus-smallrye-health")).as("%s serves /q/health", service).isTrue();
            assertThat(facts.property("quarkus.http.non-application-root-path")).as("health stays under /q").isEmpty();
            assertThat(facts.property("quarkus.smallrye-health.root-path")).isEmpty();

            int httpPort = Objects.list(container.get("ports")).stream()
                    .filter(p -> p.path("name").asText().equals("http")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " has no port named http")).path("containerPort").asInt();
            assertThat(httpPort).as("%s container port = its quarkus.http.port", service).isEqualTo(facts.httpPort());

            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.isMissingNode()).as("%s has an HTTP %s", service, probe).isFalse();
                assertThat(HEALTH_PATHS).as("%s %s path", service, probe).contains(get.path("path").asText());
                assertThat(get.path("port").asText()).isIn("http", String.valueOf(facts.httpPort()));
            }
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/resources/requests/memory").isMissingNode()).isFalse();
            assertThat(container.at("/resources/limits/memory").isMissingNode()).as("the JVM sizes its heap by it").isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyConfigMapKeyAndEnvironmentVariableIsOneTheServiceReads(String overlay) {
        assertEveryKeyIsOneTheServiceReads(Kustomize.overlay(overlay));
    }

    /**
     * Every ConfigMap key a workload takes through {@code envFrom} and every variable of its {@code env} is one its
     * service reads (a property, an {@code @ConfigMapping} key or a Kafka client setting) — for any rendering.
     */
    static void assertEveryKeyIsOneTheServiceReads(List<JsonNode> objects) {
        for (String service : Repo.WORKLOADS) {
            ServiceFacts facts = ServiceFacts.of(service);
            JsonNode container = Objects.container(objects, service);
            List<String> unread = new ArrayList<>();
            for (JsonNode source : Objects.list(container.get("envFrom"))) {
                String name = source.at("/configMapRef/name").asText();
                JsonNode configMap = Objects.find(objects, "ConfigMap", name)
                        .orElseThrow(() -> new AssertionError(service + " reads ConfigMap " + name + ", which is not rendered"));
                Objects.fieldNames(configMap.get("data")).stream().filter(key -> !facts.reads(key))
                        .forEach(key -> unread.add("ConfigMap " + name + ": " + key));
            }
            Objects.list(container.get("env")).stream().map(e -> e.path("name").asText()).filter(key -> !facts.reads(key))
                    .forEach(key -> unread.add("env " + key));
            assertThat(unread).as("keys %s does not read (no such property, @ConfigMapping key or Kafka client setting)",
                    service).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void secretsAreOnlyReferencedAndEveryReferenceIsExplained(String overlay) throws IOException {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        assertThat(Objects.ofKind(objects, "Secret")).as("no Secret in the repository").isEmpty();
        for (JsonNode configMap : Objects.ofKind(objects, "ConfigMap")) {
            assertThat(Objects.fieldNames(configMap.get("data"))).as(Objects.id(configMap))
                    .noneMatch(key -> SECRET_LIKE.matcher(key).matches());
        }
        String readme = Files.readString(Repo.deploy().resolve("README.md"));
        String kafka = Objects.name(Objects.ofKind(objects, "Kafka").get(0));
        for (String service : Repo.WORKLOADS) {
            JsonNode pod = Objects.get(objects, "Deployment", service).at("/spec/template/spec");
            JsonNode container = Objects.container(objects, service);
            for (JsonNode env : Objects.list(container.get("env"))) {
                if (SECRET_LIKE.matcher(env.path("name").asText()).matches()) {
                    assertThat(env.has("value")).as("%s %s must come from a Secret", service, env.path("name").asText())
                            .isFalse();
                    assertThat(env.at("/valueFrom/secretKeyRef/name").isMissingNode()).isFalse();
                }
            }
            List<String> secrets = new ArrayList<>();
            Objects.list(container.get("env")).forEach(e -> {
                if (e.at("/valueFrom/secretKeyRef/name").isTextual()) {
                    secrets.add(e.at("/valueFrom/secretKeyRef/name").asText());
                }
            });
            Objects.list(pod.get("volumes")).forEach(v -> {
                if (v.at("/secret/secretName").isTextual()) {
                    secrets.add(v.at("/secret/secretName").asText());
                }
            });
            for (String secret : secrets) {
                boolean writtenByStrimzi = Objects.find(objects, "KafkaUser", secret).isPresent()
                        || secret.equals(kafka + "-cluster-ca-cert");
                assertThat(writtenByStrimzi || readme.contains(secret))
                        .as("%s reads Secret %s: written by an operator, or deploy/README.md says how to create it", service,
                                secret)
                        .isTrue();
            }
            Objects.list(pod.get("volumes")).stream().filter(v -> v.at("/configMap/name").isTextual())
                    .map(v -> v.at("/configMap/name").asText())
                    .filter(name -> Objects.find(objects, "ConfigMap", name).isEmpty())
                    .forEach(name -> assertThat(readme).as("ConfigMap %s is created as deploy/README.md says", name)
                            .contains(name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void eachServiceUsesItsOwnDatabaseWithTheCredentialsOfItsOwner(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        JsonNode cluster = Objects.ofKind(objects, "Cluster").get(0);
        Set<String> databases = new java.util.TreeSet<>();
        for (String service : Repo.SERVICES) {
            JsonNode config = Objects.get(objects, "ConfigMap", service + "-config").get("data");
            URI jdbc = URI.create(config.path("QUARKUS_DATASOURCE_JDBC_URL").asText().substring("jdbc:".length()));
            assertThat(jdbc.getHost()).as("%s writes to the primary", service).isEqualTo(Objects.name(cluster) + "-rw");
            String database = jdbc.getPath().substring(1);
            assertThat(databases.add(database)).as("%s has a database of its own", service).isTrue();
            assertThat(ServiceFacts.of(service).property("quarkus.datasource.jdbc.url").orElseThrow())
                    .as("the same database the service uses locally").endsWith("/" + database);

            String owner;
            String ownerSecret;
            JsonNode initdb = cluster.at("/spec/bootstrap/initdb");
            if (database.equals(initdb.path("database").asText())) {
                owner = initdb.path("owner").asText();
                ownerSecret = initdb.at("/secret/name").asText();
            } else {
                JsonNode db = Objects.ofKind(objects, "Database").stream()
                        .filter(d -> d.at("/spec/name").asText().equals(database)).findFirst()
                        .orElseThrow(() -> new AssertionError("no CloudNativePG Database " + database + " for " + service));
                assertThat(db.at("/spec/cluster/name").asText()).isEqualTo(Objects.name(cluster));
                owner = db.at("/spec/owner").asText();
                ownerSecret = Objects.list(cluster.at("/spec/managed/roles")).stream()
                        .filter(r -> r.path("name").asText().equals(owner)).findFirst()
                        .orElseThrow(() -> new AssertionError("no managed role " + owner)).at("/passwordSecret/name").asText();
            }
            JsonNode container = Objects.container(objects, service);
            for (String variable : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                JsonNode env = Objects.list(container.get("env")).stream()
                        .filter(e -> e.path("name").asText().equals(variable)).findFirst()
                        .orElseThrow(() -> new AssertionError(service + " lacks " + variable));
                assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
                        .as("%s logs in as %s, the owner of %s", service, owner, database).isEqualTo(ownerSecret);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceIsScaledProtectedFencedAndScraped(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        for (String service : Repo.WORKLOADS) {
            JsonNode deployment = Objects.get(objects, "Deployment", service);
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
            JsonNode pod = deployment.at("/spec/template/spec");

            assertThat(Objects.find(objects, "ServiceAccount", pod.path("serviceAccountName").asText())).isPresent();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s runs as non-root", service).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();

            JsonNode hpa = Objects.get(objects, "HorizontalPodAutoscaler", service);
            assertThat(hpa.at("/spec/scaleTargetRef/kind").asText() + "/" + hpa.at("/spec/scaleTargetRef/name").asText())
                    .isEqualTo("Deployment/" + service);
            assertThat(hpa.at("/spec/minReplicas").asInt()).isLessThanOrEqualTo(hpa.at("/spec/maxReplicas").asInt());
            assertThat(selects(Objects.get(objects, "PodDisruptionBudget", service).at("/spec/selector/matchLabels"),
                    podLabels)).as("%s has a PodDisruptionBudget", service).isTrue();
            assertThat(Objects.ofKind(objects, "NetworkPolicy"))
                    .as("%s is fenced by a NetworkPolicy of its own", service)
                    .anyMatch(np -> np.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText().equals(service));
            assertThat(Objects.ofKind(objects, "NetworkPolicy"))
                    .as("%s is under the default deny", service)
                    .anyMatch(np -> np.at("/spec/ingress").isMissingNode()
                            && selects(np.at("/spec/podSelector/matchLabels"), podLabels));

            JsonNode svc = Objects.get(objects, "Service", service);
            assertThat(selects(svc.at("/spec/selector"), podLabels)).isTrue();
            if (!ServiceFacts.of(service).hasDependency("quarkus-micrometer-registry-prometheus")) {
                // the console has no metrics endpoint: a monitor would only scrape a 404
                assertThat(Objects.find(objects, "ServiceMonitor", service)).as("%s serves no /q/metrics", service).isEmpty();
                continue;
            }
            JsonNode monitor = Objects.get(objects, "ServiceMonitor", service);
            assertThat(selects(monitor.at("/spec/selector/matchLabels"), svc.at("/metadata/labels"))).isTrue();
            JsonNode endpoint = monitor.at("/spec/endpoints/0");
            assertThat(Objects.list(svc.at("/spec/ports")).stream().map(p -> p.path("name").asText()))
                    .contains(endpoint.path("port").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
            assertThat(ServiceFacts.of(service).hasDependency("quarkus-micrometer-registry-prometheus"))
                    .as("%s serves Prometheus metrics at /q/metrics", service).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void verificationAndSigningKeysComeFromSecretsThatCanHoldAPreviousKey(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        for (String service : Repo.SERVICES) {
            JsonNode deployment = Objects.get(objects, "Deployment", service);
            JsonNode container = Objects.container(objects, service);
            // JWT: UPDRAFT_JWT_PUBLIC_KEY names a JWKS file on a volume from a Secret (current + previous key by "kid").
            String jwks = CapacityTest.environment(objects, deployment).get("UPDRAFT_JWT_PUBLIC_KEY");
            assertThat(jwks).as("%s verifies tokens with a JWKS", service).isNotNull().endsWith(".json");
            JsonNode mount = Objects.list(container.get("volumeMounts")).stream()
                    .filter(m -> jwks.startsWith(m.path("mountPath").asText() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + jwks));
            JsonNode volume = Objects.list(deployment.at("/spec/template/spec/volumes")).stream()
                    .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
            assertThat(volume.at("/secret/secretName").asText()).as("%s's JWKS comes from a Secret", service)
                    .isEqualTo("updraft-jwt-jwks");
            String file = jwks.substring(mount.path("mountPath").asText().length() + 1);
            assertThat(Objects.list(volume.at("/secret/items"))).extracting(i -> i.path("path").asText()).contains(file);
            assertThat(ServiceFacts.of(service).expressionVariables()).as("%s reads UPDRAFT_JWT_PUBLIC_KEY", service)
                    .contains("UPDRAFT_JWT_PUBLIC_KEY");

            // Artifact links: who signs or verifies them has the current key and the optional previous ones, from the
            // same Secret.
            List<JsonNode> env = Objects.list(container.get("env"));
            boolean signs = env.stream().anyMatch(e -> e.path("name").asText().equals("UPDRAFT_ARTIFACTS_URL_SIGNING_KEY"));
            assertThat(signs).as("%s handles signed artifact links", service)
                    .isEqualTo(service.equals("release-service") || service.equals("device-gateway"));
            if (signs) {
                JsonNode current = env.stream().filter(e -> e.path("name").asText().equals("UPDRAFT_ARTIFACTS_URL_SIGNING_KEY"))
                        .findFirst().orElseThrow().at("/valueFrom/secretKeyRef");
                JsonNode previous = env.stream()
                        .filter(e -> e.path("name").asText().equals("UPDRAFT_ARTIFACTS_URL_SIGNING_PREVIOUS_KEYS")).findFirst()
                        .orElseThrow(() -> new AssertionError(service + " lacks UPDRAFT_ARTIFACTS_URL_SIGNING_PREVIOUS_KEYS"))
                        .at("/valueFrom/secretKeyRef");
                assertThat(previous.path("name").asText()).isEqualTo(current.path("name").asText());
                assertThat(previous.path("optional").asBoolean()).as("no previous key outside a rotation").isTrue();
            }
        }
    }

    /** {@code kubectl -n $NS create secret generic <name> --from-literal=<key>="$(openssl rand -base64 <n>)"}. */
    private static final Pattern BASE64_SECRET = Pattern.compile("kubectl -n \\$NS create secret generic (\\S+)"
            + " --from-literal=(\\S+)=\"\\$\\(openssl rand -base64 (\\d+)\\)\"");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void deviceGatewaySignsDeltaLinksWithAKeyFromTheSecretTheReadmeCreates(String overlay) throws IOException {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        for (String service : Repo.WORKLOADS) {
            boolean hasKey = Objects.list(Objects.container(objects, service).get("env")).stream()
                    .anyMatch(e -> e.path("name").asText().equals("UPDRAFT_GATEWAY_DELTA_LINK_KEY"));
            assertThat(hasKey).as("%s has the delta link key", service).isEqualTo(service.equals("device-gateway"));
        }
        assertThat(ServiceFacts.of("device-gateway").reads("UPDRAFT_GATEWAY_DELTA_LINK_KEY"))
                .as("updraft.gateway.delta.link-key").isTrue();
        JsonNode ref = Objects.list(Objects.container(objects, "device-gateway").get("env")).stream()
                .filter(e -> e.path("name").asText().equals("UPDRAFT_GATEWAY_DELTA_LINK_KEY")).findFirst().orElseThrow()
                .at("/valueFrom/secretKeyRef");
        assertThat(ref.path("optional").asBoolean(false))
                .as("required: without it production would answer 409 to every mint and 404 to every link").isFalse();
        // No Secret is rendered (secretsAreOnlyReferenced…): the README's step 2 creates it, with the key the
        // Deployment reads and a value the gateway accepts (base64 of ≥ 32 random bytes; shorter refuses the start).
        String readme = Files.readString(Repo.deploy().resolve("README.md"));
        java.util.regex.Matcher created = BASE64_SECRET.matcher(readme);
        boolean found = false;
        while (created.find()) {
            if (created.group(1).equals(ref.path("name").asText())) {
                found = true;
                assertThat(created.group(2)).as("the key the Deployment reads").isEqualTo(ref.path("key").asText());
                assertThat(Integer.parseInt(created.group(3))).as("random bytes of the key").isGreaterThanOrEqualTo(32);
            }
        }
        assertThat(found).as("deploy/README.md creates Secret %s with openssl rand -base64", ref.path("name").asText())
                .isTrue();
        assertThat(readme).as("rotation invalidates the links in signed images")
                .contains("invalidates every delta link");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyContainerRunsHardenedAsTheImagesUser(String overlay) {
        assertThat(hardeningProblems(Kustomize.overlay(overlay))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aContainerThatIsNotHardenedIsFound() {
        List<JsonNode> writable = CapacityTest.copy(Kustomize.overlay("prod"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) Objects.container(writable, "console").get("securityContext"))
                .put("readOnlyRootFilesystem", false);
        assertThat(hardeningProblems(writable)).singleElement().asString().contains("console").contains("read-only");

        List<JsonNode> root = CapacityTest.copy(Kustomize.overlay("prod"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) Objects.get(root, "Deployment", "console")
                .at("/spec/template/spec/securityContext")).put("runAsUser", 0);
        assertThat(hardeningProblems(root)).singleElement().asString().contains("console").contains("10001");

        List<JsonNode> capable = CapacityTest.copy(Kustomize.overlay("dev"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) Objects.container(capable, "rollout-service")
                .at("/securityContext/capabilities/drop")).removeAll().add("NET_RAW");
        assertThat(hardeningProblems(capable)).singleElement().asString().contains("rollout-service").contains("ALL");

        List<JsonNode> noTmp = CapacityTest.copy(Kustomize.overlay("dev"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) Objects.container(noTmp, "console").get("volumeMounts"))
                .removeAll();
        assertThat(hardeningProblems(noTmp)).singleElement().asString().contains("console").contains("/tmp");
    }

    /**
     * Every workload: non-root as its image's user ({@code quarkus.jib.user}), no privilege escalation, a read-only root
     * filesystem with a writable {@code /tmp} from an emptyDir, every capability dropped, the runtime's seccomp profile.
     */
    static List<String> hardeningProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (String service : Repo.WORKLOADS) {
            JsonNode pod = Objects.get(objects, "Deployment", service).at("/spec/template/spec");
            JsonNode container = Objects.container(objects, service);
            String imageUser = ServiceFacts.of(service).property("quarkus.jib.user").orElse("(none)");
            String user = container.at("/securityContext/runAsUser").asText(pod.at("/securityContext/runAsUser").asText());
            if (!pod.at("/securityContext/runAsNonRoot").asBoolean() || !user.equals(imageUser)) {
                problems.add(service + " runs as user " + user + ", not as non-root " + imageUser + " (its image's user)");
            }
            if (!"RuntimeDefault".equals(pod.at("/securityContext/seccompProfile/type").asText())) {
                problems.add(service + " lacks the RuntimeDefault seccomp profile");
            }
            JsonNode security = container.path("securityContext");
            if (!security.path("readOnlyRootFilesystem").asBoolean()) {
                problems.add(service + " has no read-only root filesystem");
            }
            if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
                problems.add(service + " allows privilege escalation");
            }
            if (!Objects.list(security.at("/capabilities/drop")).stream().map(JsonNode::asText).toList().contains("ALL")) {
                problems.add(service + " does not drop ALL capabilities");
            }
            boolean tmp = Objects.list(container.get("volumeMounts")).stream()
                    .filter(m -> m.path("mountPath").asText().equals("/tmp"))
                    .anyMatch(m -> Objects.list(pod.get("volumes")).stream()
                            .anyMatch(v -> v.path("name").asText().equals(m.path("name").asText()) && v.has("emptyDir")));
            if (!tmp) {
                problems.add(service + " has no /tmp from an emptyDir (Quarkus and Vert.x write there)");
            }
        }
        return problems;
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        return Objects.fieldNames(selector).stream()
                .allMatch(key -> selector.get(key).asText().equals(labels.path(key).asText(null)));
    }
}
