package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A default kube-prometheus-stack (Helm release "kube-prometheus-stack") scrapes the services: its Prometheus selects
 * ServiceMonitors labelled {@code release: kube-prometheus-stack} in every namespace
 * ({@code serviceMonitorNamespaceSelector: {}}), and each monitor selects its own Service's metrics port in its own
 * namespace.
 */
class ServiceMonitorTest {
    static final String RELEASE = "kube-prometheus-stack";

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceMonitorIsSelectedByADefaultKubePrometheusStack(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        assertThat(Objects.ofKind(objects, "ServiceMonitor")).extracting(Objects::name)
                .containsExactlyInAnyOrderElementsOf(Repo.WORKLOADS.stream()
                        .filter(w -> ServiceFacts.of(w).hasDependency("quarkus-micrometer-registry-prometheus")).toList())
                .as("the four services serve /q/metrics; the console has no metrics endpoint")
                .containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        assertThat(monitorProblems(objects)).isEmpty();
    }

    @Test
    void aMonitorWithoutTheReleaseLabelOrReachingIntoAnotherNamespaceIsFound() {
        List<JsonNode> unlabelled = CapacityTest.copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(unlabelled, "ServiceMonitor", "rollout-service").at("/metadata/labels")).remove("release");
        assertThat(monitorProblems(unlabelled)).singleElement().asString().contains("rollout-service").contains("release");

        List<JsonNode> elsewhere = CapacityTest.copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(elsewhere, "ServiceMonitor", "device-gateway").get("spec")).putObject("namespaceSelector")
                .put("any", true);
        assertThat(monitorProblems(elsewhere)).singleElement().asString().contains("device-gateway");

        List<JsonNode> port = CapacityTest.copy(Kustomize.overlay("prod"));
        ((ObjectNode) Objects.get(port, "ServiceMonitor", "telemetry-service").at("/spec/endpoints/0")).put("port", "metrics");
        assertThat(monitorProblems(port)).singleElement().asString().contains("metrics");
    }

    @Test
    void theReadmeAnswersTheNamespaceSelectorQuestion() throws IOException {
        String readme = Files.readString(Repo.deploy().resolve("README.md"));
        assertThat(readme).contains("serviceMonitorSelector").contains("serviceMonitorNamespaceSelector")
                .contains("release: " + RELEASE);
    }

    static List<String> monitorProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode monitor : Objects.ofKind(objects, "ServiceMonitor")) {
            String id = Objects.id(monitor);
            if (!RELEASE.equals(monitor.at("/metadata/labels/release").asText(null))) {
                problems.add(id + " lacks the label release: " + RELEASE
                        + " that a default kube-prometheus-stack's serviceMonitorSelector requires");
            }
            if (monitor.at("/spec/namespaceSelector").size() > 0) {
                problems.add(id + " selects Services outside its own namespace: " + monitor.at("/spec/namespaceSelector"));
            }
            JsonNode selector = monitor.at("/spec/selector/matchLabels");
            List<JsonNode> services = Objects.ofKind(objects, "Service").stream()
                    .filter(s -> selector.size() > 0 && Objects.fieldNames(selector).stream()
                            .allMatch(k -> selector.get(k).asText().equals(s.at("/metadata/labels").path(k).asText(null))))
                    .toList();
            if (services.isEmpty()) {
                problems.add(id + " selects no Service");
            }
            for (JsonNode endpoint : Objects.list(monitor.at("/spec/endpoints"))) {
                for (JsonNode service : services) {
                    if (Objects.list(service.at("/spec/ports")).stream()
                            .noneMatch(p -> p.path("name").asText().equals(endpoint.path("port").asText()))) {
                        problems.add(id + " scrapes port " + endpoint.path("port").asText() + ", which "
                                + Objects.id(service) + " does not name");
                    }
                }
            }
        }
        return problems;
    }
}
