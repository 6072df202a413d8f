package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The way in is the Gateway API: HTTPRoutes on the Gateway "updraft", TLS terminated at its listeners; devices reach
 * only the DDI API and the tenant's delta links of device-gateway on the device host; operators reach the management
 * APIs (never /q or /internal) on the operator host; every backendRef is a rendered Service and one of its ports; the
 * Gateway's proxies are admitted by the NetworkPolicies. Ingress is an optional component, not in the default render.
 */
class GatewayRouteTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void routesExposeOnlyWhatTheyMayAndReachRealServicePorts(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        assertThat(routeProblems(objects)).isEmpty();
        assertThat(Objects.ofKind(objects, "HTTPRoute")).extracting(r -> r.path("apiVersion").asText())
                .containsOnly("gateway.networking.k8s.io/v1").hasSize(2);
        assertThat(Objects.ofKind(objects, "Ingress")).as("Ingress is optional (components/ingress)").isEmpty();
    }

    @Test
    void theOperatorHostReachesEveryServicesManagementApi() {
        List<JsonNode> objects = Kustomize.overlay("prod");
        Set<String> backends = new TreeSet<>();
        Objects.list(Objects.get(objects, "HTTPRoute", "updraft-api").at("/spec/rules"))
                .forEach(rule -> Objects.list(rule.get("backendRefs")).forEach(b -> backends.add(b.path("name").asText())));
        assertThat(backends).containsExactlyInAnyOrderElementsOf(Repo.WORKLOADS);
    }

    @Test
    void releaseServiceLearnsThePrefixItIsServedUnder() {
        // a two-step upload answers an uploadUrl built from X-Forwarded-Prefix (TwoStepUploadIT): without the header
        // the URL would point at the operator host's root, which routes nothing to release-service
        List<JsonNode> objects = Kustomize.overlay("prod");
        List<JsonNode> releaseRules = Objects.list(Objects.get(objects, "HTTPRoute", "updraft-api").at("/spec/rules"))
                .stream().filter(rule -> Objects.list(rule.get("backendRefs")).stream()
                        .anyMatch(b -> b.path("name").asText().equals("release-service")))
                .toList();
        assertThat(releaseRules).isNotEmpty().allSatisfy(rule -> {
            String prefix = rule.at("/matches/0/path/value").asText();
            assertThat(Objects.list(rule.get("filters")).stream()
                    .filter(f -> f.path("type").asText().equals("RequestHeaderModifier"))
                    .flatMap(f -> Objects.list(f.at("/requestHeaderModifier/set")).stream())
                    .filter(h -> h.path("name").asText().equalsIgnoreCase("X-Forwarded-Prefix"))
                    .map(h -> h.path("value").asText()))
                    .as("rule %s sets X-Forwarded-Prefix to the prefix it strips", rule.path("name").asText())
                    .singleElement().satisfies(value -> assertThat(prefix).startsWith(value + "/api/v1/"));
        });
        assertThat(ServiceFacts.of("release-service").property("quarkus.http.proxy.enable-forwarded-prefix"))
                .as("release-service reads the header").contains("true");
    }

    @Test
    void aManagementPathOnTheDeviceHostIsFound() {
        List<JsonNode> objects = CapacityTest.copy(Kustomize.overlay("prod"));
        JsonNode rule = Objects.get(objects, "HTTPRoute", "updraft-devices").at("/spec/rules/0");
        ((ObjectNode) rule.at("/matches/0/path")).put("value", "/api/v1/devices");
        assertThat(routeProblems(objects)).anySatisfy(p -> assertThat(p).contains("device host").contains("/api/v1/devices"));

        // A second route for the device host, sending /q (health, metrics) to device-gateway.
        List<JsonNode> extra = new ArrayList<>(CapacityTest.copy(Kustomize.overlay("prod")));
        ObjectNode metrics = Objects.get(extra, "HTTPRoute", "updraft-devices").deepCopy();
        ((ObjectNode) metrics.get("metadata")).put("name", "sneaky");
        ((ObjectNode) metrics.at("/spec/rules/0/matches/0/path")).put("value", "/q");
        extra.add(metrics);
        assertThat(routeProblems(extra)).anySatisfy(p -> assertThat(p).contains("sneaky").contains("/q"));

        // The operator host must not publish health, metrics or the internal artifact endpoint either.
        List<JsonNode> internal = CapacityTest.copy(Kustomize.overlay("prod"));
        JsonNode release = Objects.get(internal, "HTTPRoute", "updraft-api").at("/spec/rules/0");
        ((ObjectNode) release.at("/filters/0/urlRewrite/path")).put("replacePrefixMatch", "/internal/v1/artifacts");
        assertThat(routeProblems(internal)).anySatisfy(p -> assertThat(p).contains("/internal/v1/artifacts"));
    }

    @Test
    void aBackendThatIsNotAServicePortIsFound() {
        List<JsonNode> port = CapacityTest.copy(Kustomize.overlay("dev"));
        ((ObjectNode) Objects.get(port, "HTTPRoute", "updraft-devices").at("/spec/rules/0/backendRefs/0")).put("port", 8080);
        assertThat(routeProblems(port)).anySatisfy(p -> assertThat(p).contains("device-gateway").contains("8080"));

        List<JsonNode> name = CapacityTest.copy(Kustomize.overlay("dev"));
        ((ObjectNode) Objects.get(name, "HTTPRoute", "updraft-api").at("/spec/rules/2/backendRefs/0"))
                .put("name", "rollout");
        assertThat(routeProblems(name)).anySatisfy(p -> assertThat(p).contains("no Service rollout"));

        List<JsonNode> fenced = CapacityTest.copy(Kustomize.overlay("dev"));
        ArrayNode admitted = (ArrayNode) Objects.get(fenced, "NetworkPolicy", "updraft-from-gateway")
                .at("/spec/podSelector/matchExpressions/0/values");
        admitted.removeIf(v -> v.asText().equals("telemetry-service"));
        assertThat(routeProblems(fenced)).anySatisfy(p -> assertThat(p).contains("telemetry-service").contains("admit"));
    }

    @Test
    void theIngressComponentPublishesOnlyTheDeviceApiAndTheDashboard(@TempDir Path dir) throws IOException {
        Path deploy = Kustomize.copyOfDeploy(dir);
        Path kustomization = deploy.resolve("overlays/dev/kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization).replace("  - ../../components/values\n",
                "  - ../../components/values\n  - ../../components/ingress\n"));
        Kustomize.Script rendered = Kustomize.renderScript(deploy, "dev");
        assertThat(rendered.exitCode()).as(rendered.stderr()).isZero();
        List<JsonNode> objects = rendered.objects();

        String tenant = tenant(objects);
        Set<String> allowed = Set.of("device-gateway /" + tenant + "/controller/v1",
                "device-gateway /delta/v1/" + tenant, "telemetry-service /dashboard.html",
                "telemetry-service /dashboard.js", "telemetry-service /dashboard.css", "telemetry-service /api/v1/dashboard");
        Set<String> published = new TreeSet<>();
        Set<String> backends = new TreeSet<>();
        for (JsonNode ingress : Objects.ofKind(objects, "Ingress")) {
            Objects.list(ingress.at("/spec/rules")).stream().flatMap(r -> Objects.list(r.at("/http/paths")).stream())
                    .forEach(p -> {
                        String backend = p.at("/backend/service/name").asText();
                        String path = p.path("path").asText();
                        published.add(backend + " " + path);
                        backends.add(backend);
                        assertThat(ServiceFacts.of(backend).serves(template(path, tenant)))
                                .as("%s serves %s", backend, path).isTrue();
                    });
        }
        assertThat(published).isEqualTo(allowed);
        assertThat(Objects.get(objects, "Ingress", "updraft-devices").at("/spec/rules/0/host").asText())
                .isEqualTo(deviceHost(objects));
        assertThat(Objects.get(objects, "NetworkPolicy", "updraft-from-ingress-nginx")
                .at("/spec/podSelector/matchExpressions/0/values")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(backends);
    }

    // ---- the console: one origin for its pages and the APIs they call ---------------------------------------------

    /** {@code new Route("/release/api/v1/releases", Service.RELEASE, "/api/v1/releases")} in the console's proxy. */
    private static final java.util.regex.Pattern PROXY_ROUTE = java.util.regex.Pattern
            .compile("new Route\\(\"([^\"]+)\",\\s*Service\\.(\\w+),\\s*\"([^\"]+)\"\\)");
    /** A path literal of the pages under one of the API prefixes, e.g. {@code '/rollout/api/v1/rollouts'}. */
    private static final java.util.regex.Pattern PAGE_API_PATH = java.util.regex.Pattern
            .compile("['\"`](/(?:release|rollout|gateway|telemetry)/[^'\"`?$]*)");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theConsolesPagesAndTheApisTheyCallShareTheOperatorHost(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        assertThat(consoleAssets()).as("derived from console/src/main/resources/META-INF/resources")
                .contains("/", "/index.html", "/console.css", "/console-config.json", "/js/app.js");
        assertThat(proxyRoutes()).as("the console proxy's routes, read from ProxyRoutes.java").hasSizeGreaterThanOrEqualTo(8);
        assertThat(consolePageApiPaths()).as("API paths the pages' scripts name")
                .contains("/release/api/v1/releases", "/telemetry/api/v1/dashboard/events");
        assertThat(oneOriginProblems(objects)).isEmpty();
    }

    @Test
    void anAssetOrAnApiPrefixOffTheOperatorHostIsFound() {
        List<JsonNode> objects = Kustomize.overlay("prod");
        // a page added to the console without a route for it
        Set<String> assets = new TreeSet<>(consoleAssets());
        assets.add("/favicon.ico");
        assertThat(oneOriginProblems(objects, assets)).singleElement().asString().contains("/favicon.ico");

        // the scripts' prefix dropped from the console's rule
        List<JsonNode> noScripts = CapacityTest.copy(objects);
        JsonNode consoleRule = Objects.list(Objects.get(noScripts, "HTTPRoute", "updraft-api").at("/spec/rules")).stream()
                .filter(r -> r.path("name").asText().equals("console")).findFirst().orElseThrow();
        ((ArrayNode) consoleRule.get("matches")).removeIf(m -> m.at("/path/value").asText().equals("/js"));
        assertThat(oneOriginProblems(noScripts)).isNotEmpty().allSatisfy(p -> assertThat(p).contains("/js/"));

        // the pages' root as a prefix would publish every path of the console, /q included
        List<JsonNode> everything = CapacityTest.copy(objects);
        JsonNode root = Objects.list(Objects.get(everything, "HTTPRoute", "updraft-api").at("/spec/rules")).stream()
                .filter(r -> r.path("name").asText().equals("console")).findFirst().orElseThrow();
        ((ObjectNode) root.at("/matches/0/path")).put("type", "PathPrefix");
        assertThat(oneOriginProblems(everything)).isEmpty();
        assertThat(routeProblems(everything)).singleElement().asString().contains("console").contains("every path");

        // telemetry's event stream, which the rollout page follows, not routed
        List<JsonNode> noStream = CapacityTest.copy(objects);
        ((ArrayNode) Objects.get(noStream, "HTTPRoute", "updraft-api").at("/spec/rules"))
                .removeIf(r -> r.path("name").asText().equals("telemetry-dashboard"));
        assertThat(oneOriginProblems(noStream)).singleElement().asString().contains("/telemetry/api/v1/dashboard");

        // an API prefix sent to another service than the console's proxy sends it to
        List<JsonNode> swapped = CapacityTest.copy(objects);
        JsonNode gatewayRule = Objects.list(Objects.get(swapped, "HTTPRoute", "updraft-api").at("/spec/rules")).stream()
                .filter(r -> r.path("name").asText().equals("gateway-devices")).findFirst().orElseThrow();
        ((ObjectNode) gatewayRule.at("/backendRefs/0")).put("name", "rollout-service").put("port", 8082);
        assertThat(oneOriginProblems(swapped)).singleElement().asString().contains("/gateway/api/v1/devices")
                .contains("device-gateway:8083");

        // the console's pages on a host of their own: another origin than the APIs
        List<JsonNode> split = new ArrayList<>(CapacityTest.copy(objects));
        ObjectNode pages = Objects.get(split, "HTTPRoute", "updraft-api").deepCopy();
        ((ObjectNode) pages.get("metadata")).put("name", "updraft-console");
        ((ArrayNode) pages.at("/spec/hostnames")).removeAll().add("console.elsewhere.test");
        ((ArrayNode) pages.at("/spec/rules")).removeIf(r -> !r.path("name").asText().equals("console"));
        ((ArrayNode) Objects.get(split, "HTTPRoute", "updraft-api").at("/spec/rules"))
                .removeIf(r -> r.path("name").asText().equals("console"));
        split.add(pages);
        assertThat(oneOriginProblems(split)).isNotEmpty().allSatisfy(p -> assertThat(p).contains("operator host"));
    }

    static List<String> oneOriginProblems(List<JsonNode> objects) {
        return oneOriginProblems(objects, consoleAssets());
    }

    /**
     * The console's pages ({@code assets}) and every API prefix its proxy serves are routed on the operator host — the
     * Gateway listener "api" — to the console and to the same service and path as the console's proxy would (its
     * {@code UPDRAFT_CONSOLE_*_URL}): one origin, so the pages work behind the Gateway unchanged and need no CORS. Every
     * API path the pages' scripts name lies under one of those prefixes.
     */
    static List<String> oneOriginProblems(List<JsonNode> objects, Set<String> assets) {
        List<String> problems = new ArrayList<>();
        String operatorHost = Objects.list(Objects.get(objects, "Gateway", "updraft").at("/spec/listeners")).stream()
                .filter(l -> l.path("name").asText().equals("api")).findFirst().orElseThrow().path("hostname").asText();
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode route : Objects.ofKind(objects, "HTTPRoute")) {
            List<String> hostnames = Objects.list(route.at("/spec/hostnames")).stream().map(JsonNode::asText).toList();
            if (hostnames.equals(List.of(operatorHost))) {
                rules.addAll(Objects.list(route.at("/spec/rules")));
            }
        }
        for (String asset : assets) {
            boolean routed = rules.stream().anyMatch(rule -> sendsTo(rule, "console", 8080)
                    && Objects.list(rule.get("matches")).stream().anyMatch(m -> matches(m.path("path"), asset)));
            if (!routed) {
                problems.add("the console's " + asset + " is not routed to Service console on the operator host "
                        + operatorHost);
            }
        }
        Map<String, String> consoleEnv = CapacityTest.environment(objects, Objects.get(objects, "Deployment", "console"));
        for (String[] proxied : proxyRoutes()) {
            String prefix = proxied[0];
            URI upstream = URI.create(consoleEnv.getOrDefault("UPDRAFT_CONSOLE_" + proxied[1] + "_URL", "missing:/"));
            String backend = upstream.getHost() + ":" + upstream.getPort();
            boolean routed = rules.stream().anyMatch(rule -> Objects.list(rule.get("matches")).stream()
                    .anyMatch(m -> m.at("/path/type").asText().equals("PathPrefix") && m.at("/path/value").asText().equals(prefix))
                    && rule.findValues("replacePrefixMatch").stream().anyMatch(r -> r.asText().equals(proxied[2]))
                    && sendsTo(rule, upstream.getHost(), upstream.getPort()));
            if (!routed) {
                problems.add("the operator host " + operatorHost + " does not route " + prefix + " to " + backend + " "
                        + proxied[2] + ", as the console's proxy does (the pages call it on their own origin)");
            }
        }
        List<String> prefixes = proxyRoutes().stream().map(r -> r[0]).toList();
        for (String path : consolePageApiPaths()) {
            if (prefixes.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/") || path.startsWith(p + "?"))) {
                problems.add("the console's pages call " + path + ", under no API prefix routed on the operator host");
            }
        }
        return problems;
    }

    private static boolean sendsTo(JsonNode rule, String service, int port) {
        return Objects.list(rule.get("backendRefs")).stream()
                .anyMatch(b -> b.path("name").asText().equals(service) && b.path("port").asInt() == port);
    }

    /** Gateway API path matching: Exact, or PathPrefix by whole segments. */
    private static boolean matches(JsonNode path, String requested) {
        String value = path.path("value").asText("/");
        if (path.path("type").asText("PathPrefix").equals("Exact")) {
            return requested.equals(value);
        }
        String prefix = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        return prefix.isEmpty() || requested.equals(prefix) || requested.startsWith(prefix + "/");
    }

    /** What a browser asks the console for: its static files, {@code /} (index.html) and its literal Vert.x routes. */
    static Set<String> consoleAssets() {
        ServiceFacts console = ServiceFacts.of(Repo.CONSOLE);
        Set<String> assets = new TreeSet<>(console.staticResources());
        if (assets.contains("/index.html")) {
            assets.add("/");
        }
        assets.addAll(console.sourcesMatch(java.util.regex.Pattern.compile("router\\.get\\(\"(/[^\"]*)\"\\)")));
        return assets;
    }

    /** The console proxy's routes: {prefix, service (RELEASE…), upstream path}. */
    static List<String[]> proxyRoutes() {
        try {
            String source = Files.readString(Repo.root().resolve("console/src/main/java/io/updraft/console/ProxyRoutes.java"));
            List<String[]> routes = new ArrayList<>();
            java.util.regex.Matcher m = PROXY_ROUTE.matcher(source);
            while (m.find()) {
                routes.add(new String[] { m.group(1), m.group(2), m.group(3) });
            }
            return routes;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The API paths the pages' scripts name (string and template literals up to the first query or expression). */
    static Set<String> consolePageApiPaths() {
        Set<String> paths = new TreeSet<>();
        ServiceFacts console = ServiceFacts.of(Repo.CONSOLE);
        for (String asset : console.staticResources()) {
            if (!asset.endsWith(".js")) {
                continue;
            }
            try {
                java.util.regex.Matcher m = PAGE_API_PATH.matcher(Files.readString(
                        console.dir.resolve("src/main/resources/META-INF/resources").resolve(asset.substring(1))));
                while (m.find()) {
                    paths.add(m.group(1).replaceAll("/+$", ""));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return paths;
    }

    static String tenant(List<JsonNode> objects) {
        Map<String, String> env = CapacityTest.environment(objects, Objects.get(objects, "Deployment", "device-gateway"));
        return env.getOrDefault("UPDRAFT_GATEWAY_TENANT",
                ServiceFacts.of("device-gateway").property("updraft.gateway.tenant").orElse("DEFAULT"));
    }

    /** The host of the links device-gateway hands to devices. */
    static String deviceHost(List<JsonNode> objects) {
        Map<String, String> env = CapacityTest.environment(objects, Objects.get(objects, "Deployment", "device-gateway"));
        return URI.create(env.get("UPDRAFT_GATEWAY_PUBLIC_URL")).getHost();
    }

    /** The path with the tenant's segment as the resources' {@code {tenant}}, e.g. /delta/v1/DEFAULT. */
    static String template(String path, String tenant) {
        String slashed = (path + "/").replace("/" + tenant + "/", "/{tenant}/");
        return slashed.substring(0, slashed.length() - 1);
    }

    /**
     * Where the Gateway sends a request for {@code path} on {@code host}: "service:port upstream-path" of the matching
     * rule (Exact before PathPrefix, the longest prefix first, as Gateway API orders them), or empty if none matches.
     */
    static Optional<String> routeOf(List<JsonNode> objects, String host, String path) {
        JsonNode best = null;
        JsonNode bestMatch = null;
        int bestScore = -1;
        for (JsonNode route : Objects.ofKind(objects, "HTTPRoute")) {
            if (Objects.list(route.at("/spec/hostnames")).stream().noneMatch(h -> h.asText().equals(host))) {
                continue;
            }
            for (JsonNode rule : Objects.list(route.at("/spec/rules"))) {
                for (JsonNode match : Objects.list(rule.get("matches"))) {
                    if (!matches(match.path("path"), path)) {
                        continue;
                    }
                    int score = match.at("/path/type").asText("PathPrefix").equals("Exact") ? Integer.MAX_VALUE
                            : match.at("/path/value").asText("/").length();
                    if (score > bestScore) {
                        best = rule;
                        bestMatch = match;
                        bestScore = score;
                    }
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String upstream = path;
        Optional<String> rewrite = best.findValues("replacePrefixMatch").stream().map(JsonNode::asText).findFirst();
        if (rewrite.isPresent()) {
            upstream = rewrite.get() + path.substring(bestMatch.at("/path/value").asText().length());
        }
        JsonNode backend = Objects.list(best.get("backendRefs")).get(0);
        return Optional.of(backend.path("name").asText() + ":" + backend.path("port").asInt() + " " + upstream);
    }

    static String operatorHost(List<JsonNode> objects) {
        return Objects.list(Objects.get(objects, "Gateway", "updraft").at("/spec/listeners")).stream()
                .filter(l -> l.path("name").asText().equals("api")).findFirst().orElseThrow().path("hostname").asText();
    }

    private static final String ZCK = "/" + "0123456789abcdef".repeat(4) + ".zck";

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void deltaLinksReachTheGatewayOnTheDeviceHostAndOnlyThere(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        String tenant = tenant(objects);
        String devices = deviceHost(objects);
        String operators = operatorHost(objects);
        String link = "/delta/v1/" + tenant + ZCK;
        // what device-gateway mints (DeltaLinks) is what the device host sends to it, path unchanged
        assertThat(ServiceFacts.of("device-gateway").serves(template("/delta/v1/" + tenant, tenant))).isTrue();
        assertThat(routeOf(objects, devices, link)).contains("device-gateway:8083 " + link);
        assertThat(deltaRule(objects).at("/timeouts/request").asText()).as("a .zck streams like an artifact")
                .isEqualTo("0s");
        // nothing broader: another tenant's links, other /delta paths and the minting endpoint stay off the device host
        assertThat(routeOf(objects, devices, "/delta/v1/other" + ZCK)).isEmpty();
        assertThat(routeOf(objects, devices, "/delta/v2/" + tenant + ZCK)).isEmpty();
        assertThat(routeOf(objects, devices, "/delta")).isEmpty();
        assertThat(routeOf(objects, devices, "/api/v1/delta-links")).isEmpty();
        assertThat(routeOf(objects, devices, "/gateway/api/v1/delta-links")).isEmpty();
        // the operator host serves no delta link, but CI mints them there, like the gateway's other management paths
        assertThat(routeOf(objects, operators, link)).isEmpty();
        assertThat(routeOf(objects, operators, "/gateway/api/v1/delta-links"))
                .contains("device-gateway:8083 /api/v1/delta-links");
        assertThat(routeOf(objects, operators, "/gateway/api/v1/devices/gw-1"))
                .contains("device-gateway:8083 /api/v1/devices/gw-1");
        assertThat(routeProblems(objects)).isEmpty();
    }

    @Test
    void aDeltaRuleBroaderThanTheTenantsLinksIsFound() {
        for (String broader : List.of("/delta", "/delta/v1", "/")) {
            List<JsonNode> objects = CapacityTest.copy(Kustomize.overlay("prod"));
            ((ObjectNode) deltaRule(objects).at("/matches/0/path")).put("value", broader);
            assertThat(routeProblems(objects)).as(broader)
                    .anySatisfy(p -> assertThat(p).contains("device host").contains("publishes " + broader + " "));
        }
        // the links' path rewritten on the way: device-gateway would not find what it minted
        List<JsonNode> rewritten = CapacityTest.copy(Kustomize.overlay("prod"));
        ((ObjectNode) deltaRule(rewritten)).putArray("filters").addObject().put("type", "URLRewrite")
                .putObject("urlRewrite").putObject("path")
                .put("type", "ReplacePrefixMatch").put("replacePrefixMatch", "/delta/v1");
        assertThat(routeProblems(rewritten)).anySatisfy(p -> assertThat(p).contains("device host"));
    }

    private static JsonNode deltaRule(List<JsonNode> objects) {
        return Objects.list(Objects.get(objects, "HTTPRoute", "updraft-devices").at("/spec/rules")).stream()
                .filter(r -> r.path("name").asText().equals("delta-links")).findFirst().orElseThrow();
    }

    static List<String> routeProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        String tenant = tenant(objects);
        String deviceHost = deviceHost(objects);
        String ddi = "/" + tenant + "/controller/v1";
        String delta = "/delta/v1/" + tenant;
        Set<String> routedServices = new TreeSet<>();
        boolean deviceRouteFound = false;
        for (JsonNode route : Objects.ofKind(objects, "HTTPRoute")) {
            String id = Objects.id(route);
            List<String> hostnames = new ArrayList<>(Objects.list(route.at("/spec/hostnames")).stream().map(JsonNode::asText)
                    .toList());
            for (JsonNode parent : Objects.list(route.at("/spec/parentRefs"))) {
                Optional<JsonNode> gateway = Objects.find(objects, "Gateway", parent.path("name").asText());
                if (gateway.isEmpty()) {
                    problems.add(id + " is attached to Gateway " + parent.path("name").asText() + ", which is not rendered");
                    continue;
                }
                List<JsonNode> listeners = Objects.list(gateway.get().at("/spec/listeners")).stream()
                        .filter(l -> !parent.has("sectionName")
                                || l.path("name").asText().equals(parent.path("sectionName").asText()))
                        .toList();
                if (listeners.isEmpty()) {
                    problems.add(id + " names listener " + parent.path("sectionName").asText() + ", which "
                            + Objects.id(gateway.get()) + " lacks");
                }
                for (JsonNode listener : listeners) {
                    if (!listener.path("protocol").asText().equals("HTTPS")
                            || !listener.at("/tls/mode").asText("Terminate").equals("Terminate")
                            || Objects.list(listener.at("/tls/certificateRefs")).isEmpty()) {
                        problems.add(Objects.id(gateway.get()) + " listener " + listener.path("name").asText()
                                + " does not terminate TLS with a certificate");
                    }
                    if (hostnames.isEmpty() && listener.has("hostname")) {
                        hostnames.add(listener.path("hostname").asText());
                    }
                    if (!listener.has("hostname")) {
                        problems.add(Objects.id(gateway.get()) + " listener " + listener.path("name").asText()
                                + " has no hostname: any host, the device host included, reaches " + id);
                    } else if (!hostnames.contains(listener.path("hostname").asText())) {
                        problems.add(id + " hostnames " + hostnames + " miss its listener's "
                                + listener.path("hostname").asText());
                    }
                }
            }
            boolean onDeviceHost = hostnames.contains(deviceHost);
            deviceRouteFound |= onDeviceHost;
            for (JsonNode rule : Objects.list(route.at("/spec/rules"))) {
                List<JsonNode> matches = Objects.list(rule.get("matches"));
                List<String> paths = matches.isEmpty() ? List.of("/")
                        : matches.stream().map(m -> m.at("/path/value").asText("/")).toList();
                boolean everything = matches.isEmpty() || matches.stream().anyMatch(m -> m.at("/path/value").asText("/")
                        .equals("/") && !m.at("/path/type").asText("PathPrefix").equals("Exact"));
                String rewrite = rule.findValues("replacePrefixMatch").stream().map(JsonNode::asText).findFirst().orElse(null);
                for (JsonNode backend : Objects.list(rule.get("backendRefs"))) {
                    String service = backend.path("name").asText();
                    Optional<JsonNode> svc = Objects.find(objects, "Service", service);
                    if (!backend.path("kind").asText("Service").equals("Service") || svc.isEmpty()) {
                        problems.add(id + " sends to " + service + ": there is no Service " + service);
                        continue;
                    }
                    int port = backend.path("port").asInt();
                    if (Objects.list(svc.get().at("/spec/ports")).stream().noneMatch(p -> p.path("port").asInt() == port)) {
                        problems.add(id + " sends to " + service + " port " + port + ", which Service " + service
                                + " does not have");
                    }
                    routedServices.add(service);
                    for (String path : paths) {
                        String upstream = rewrite != null ? rewrite : path;
                        if (onDeviceHost && !(service.equals("device-gateway") && upstream.equals(path)
                                && (path.equals(ddi) || path.startsWith(ddi + "/") || path.equals(delta)
                                        || path.startsWith(delta + "/")))) {
                            problems.add(id + " publishes " + path + " of " + service + " on the device host " + deviceHost
                                    + ": devices may reach only " + ddi + " and " + delta + " of device-gateway");
                        }
                        if ((upstream.equals("/") && everything) || upstream.startsWith("/q")
                                || upstream.startsWith("/internal")) {
                            problems.add(id + " publishes " + (upstream.equals("/") ? "every path (prefix /)" : upstream)
                                    + " of " + service + ": health, metrics and internal endpoints stay inside the cluster");
                        } else if (Repo.WORKLOADS.contains(service)
                                && !ServiceFacts.of(service).serves(template(upstream, tenant))) {
                            problems.add(id + " routes " + path + " to " + upstream + " of " + service
                                    + ", which the service does not serve");
                        }
                    }
                }
            }
        }
        if (!deviceRouteFound) {
            problems.add("no HTTPRoute serves the device host " + deviceHost + " (device-gateway's public URL)");
        }
        Optional<JsonNode> policy = Objects.find(objects, "NetworkPolicy", "updraft-from-gateway");
        Set<String> admitted = new TreeSet<>();
        policy.ifPresent(p -> Objects.list(p.at("/spec/podSelector/matchExpressions")).stream()
                .filter(e -> e.path("key").asText().equals("app.kubernetes.io/name") && e.path("operator").asText().equals("In"))
                .forEach(e -> Objects.list(e.get("values")).forEach(v -> admitted.add(v.asText()))));
        for (String service : routedServices) {
            if (!admitted.contains(service)) {
                problems.add("NetworkPolicy updraft-from-gateway does not admit the Gateway's proxies to " + service
                        + ", which a route sends to");
            }
        }
        return problems;
    }
}
