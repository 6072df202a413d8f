package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard ships with the manifests and charts only metrics the services really register. */
class GrafanaDashboardTest {
    private static final Pattern UPDRAFT_METRIC = Pattern.compile("\\bupdraft_[a-z0-9_]+");

    @Test
    void theDashboardIsLoadedByGrafanasSidecarAndChartsRealMetrics() throws IOException {
        List<JsonNode> objects = Kustomize.overlay("prod");
        JsonNode configMap = Objects.get(objects, "ConfigMap", "updraft-grafana-dashboard");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        JsonNode dashboard = new ObjectMapper().readTree(configMap.at("/data/updraft-dashboard.json").asText());

        List<String> expressions = Objects.list(dashboard.get("panels")).stream()
                .flatMap(p -> Objects.list(p.get("targets")).stream()).map(t -> t.path("expr").asText()).toList();
        assertThat(expressions).isNotEmpty().allMatch(e -> !e.isBlank());

        Set<String> registered = registeredMeters();
        Set<String> charted = new TreeSet<>();
        expressions.forEach(e -> {
            Matcher m = UPDRAFT_METRIC.matcher(e);
            while (m.find()) {
                charted.add(m.group());
            }
        });
        assertThat(charted).as("Updraft metrics on the dashboard").isNotEmpty();
        for (String metric : charted) {
            String meter = metric.replaceFirst("_total$", "").replace('_', '.');
            assertThat(registered).as("%s is the Prometheus name of a meter some service registers", metric)
                    .contains(meter);
        }
    }

    /** Meter names ("updraft.x.y") that appear as string literals in the services' and service-support's code. */
    private static Set<String> registeredMeters() {
        Set<String> meters = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(updraft\\.[a-z0-9.]+)\"");
        List<Path> roots = Stream.concat(Repo.SERVICES.stream(), Stream.of("service-support"))
                .map(m -> Repo.root().resolve(m).resolve("src/main/java")).toList();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(file));
                    while (m.find()) {
                        meters.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return meters;
    }
}
