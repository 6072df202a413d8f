package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.launcher.DemoStory;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.containers.ContainerStack;
import io.updraft.launcher.containers.Docker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The four Jib images and the console's boot and work together as containers, run with the settings deploy/'s dev overlay gives their
 * pods (read-only root filesystem, user 10001, capabilities dropped, its memory limit, its ports and probe paths),
 * beside containerized Kafka and PostgreSQL on one bridge network — started by the launcher's {@link ContainerStack},
 * what {@code ./updraft containers} runs. A simulated fleet outside the containers reaches the gateway through its
 * published port: 1.1.0 rolls out to every device, then 1.2.0 fails on one hardware model and is rolled back on that
 * cohort only.
 *
 * <p>Needs a Docker engine; the images come from {@code deploy/images/build-images.sh --services target/images}, the
 * tarballs this module's pre-integration-test phase wrote.
 */
@Tag("containers")
class ServiceContainersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The four services and the console. */
    private static final List<String> SERVICES = Repo.WORKLOADS;
    private static final Docker DOCKER = new Docker();
    private static ContainerStack stack;
    private static long startedNanos;

    @BeforeAll
    static void startTheContainerizedStack() throws Exception {
        if (!DOCKER.available()) {
            throw new IllegalStateException("no Docker engine answers ('docker info' failed): start one, or leave the "
                    + "container tests out with -Dupdraft.infra=devstack");
        }
        Path images = Path.of(System.getProperty("updraft.images.dir", "target/images")).toAbsolutePath();
        String version = System.getProperty("updraft.version", "0.1.0-SNAPSHOT");
        long build = System.nanoTime();
        // loads a tarball only when its image is not loaded already (docker load on vfs takes minutes)
        io.updraft.testsupport.containers.LocalImages.ensureBuilt("--services", images.toString());
        System.out.printf("images built/loaded in %.1f s%n", (System.nanoTime() - build) / 1e9);
        Path home = Files.createTempDirectory(Path.of("target"), "containers-it");
        startedNanos = System.nanoTime();
        stack = ContainerStack.start(DOCKER, ContainerStack.Options.throwaway(home, version, Map.of(
                "updraft.gateway.polling.interval", "PT1S",
                "updraft.gateway.polling.active-interval", "PT1S",
                "updraft.telemetry.window", "2s")));
    }

    @AfterAll
    static void removeEverythingTheStackStarted() {
        if (stack == null) {
            return;
        }
        String id = stack.id();
        stack.close();
        String filter = "label=" + ContainerStack.LABEL + "=" + id;
        assertThat(DOCKER.run("ps", "-aq", "--filter", filter)).as("containers left behind").isEmpty();
        assertThat(DOCKER.run("network", "ls", "-q", "--filter", filter)).as("networks left behind").isEmpty();
        assertThat(DOCKER.run("volume", "ls", "-q", "--filter", filter)).as("volumes left behind").isEmpty();
    }

    @Test
    void theImagesRunAsDeployRunsThemAndRollOutAndRollBackAFleet() throws Exception {
        List<JsonNode> dev = Kustomize.overlay("dev");
        Map<String, Long> limits = new LinkedHashMap<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // the containers run with deploy/'s pod settings, and answer its probes on its ports
        for (String service : SERVICES) {
            JsonNode pod = Objects.container(dev, service);
            JsonNode inspect = inspect(service);
            JsonNode host = inspect.path("HostConfig");
            assertThat(host.path("ReadonlyRootfs").asBoolean()).as(service + " read-only root filesystem")
                    .isEqualTo(pod.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            JsonNode podSecurity = Objects.get(dev, "Deployment", service).at("/spec/template/spec/securityContext");
            String user = pod.at("/securityContext/runAsUser").asText(podSecurity.path("runAsUser").asText());
            String group = pod.at("/securityContext/runAsGroup").asText(podSecurity.path("runAsGroup").asText());
            assertThat(user).isNotEqualTo("0").isNotEmpty();
            assertThat(inspect.at("/Config/User").asText()).as(service + " user").isEqualTo(user + ":" + group);
            assertThat(exec(service, "id", "-u")).as(service + " process uid").isEqualTo(user);
            assertThat(Objects.list(pod.at("/securityContext/capabilities/drop")).stream().map(JsonNode::asText))
                    .containsExactly("ALL");
            assertThat(Objects.list(host.path("CapDrop")).stream().map(JsonNode::asText)).as(service + " CapDrop")
                    .containsExactly("ALL");
            assertThat(Objects.list(host.path("SecurityOpt")).stream().map(JsonNode::asText))
                    .as(service + " no privilege escalation").contains("no-new-privileges");
            long limit = bytes(pod.at("/resources/limits/memory").asText());
            limits.put(service, limit);
            assertThat(host.path("Memory").asLong()).as(service + " memory limit = deploy/'s").isEqualTo(limit);
            assertThat(host.path("Tmpfs").path("/tmp").asText()).as(service + " /tmp")
                    .contains("size=" + bytes(tmpSizeLimit(dev, service)));
            assertThat(exec(service, "grep", " / ", "/proc/mounts")).as(service + " root mount, from inside")
                    .containsPattern(" ro[, ]");

            int containerPort = pod.path("ports").path(0).path("containerPort").asInt();
            JsonNode bindings = inspect.at("/NetworkSettings/Ports").path(containerPort + "/tcp");
            assertThat(bindings.isArray() && bindings.size() > 0).as(service + " publishes " + containerPort).isTrue();
            int hostPort = bindings.get(0).path("HostPort").asInt();
            assertThat(stack.url(service)).isEqualTo("http://127.0.0.1:" + hostPort);
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                String path = pod.path(probe).at("/httpGet/path").asText();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hostPort + path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(service + " " + probe + " " + path + " on " + containerPort)
                        .isEqualTo(200);
            }
        }
        // the console's pages, and the management APIs through its proxy in its container (by the services' aliases)
        String console = stack.url(Repo.CONSOLE);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'"));
        HttpResponse<String> rollouts = http.send(HttpRequest.newBuilder(URI.create(console + "/rollout/api/v1/rollouts"))
                .header("Authorization", "Bearer " + stack.adminToken()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rollouts.statusCode()).as("rollout-service through the console container: %s", rollouts.body())
                .isEqualTo(200);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(console + "/release/api/v1/releases"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("release-service checks the token behind the console").isEqualTo(401);

        JsonNode releaseMounts = inspect("release-service").path("Mounts");
        String storage = Objects.get(dev, "ConfigMap", "release-service-config").at("/data/UPDRAFT_STORAGE_DIR").asText();
        assertThat(Objects.list(releaseMounts).stream().map(m -> m.path("Destination").asText() + " rw="
                + m.path("RW").asBoolean())).as("release-service's artifacts: a writable volume")
                .contains(storage + " rw=true");

        // a fleet outside the containers: 1.1.0 everywhere, then 1.2.0 failing on gw-200 and rolled back there only
        DemoStory.Outcome outcome = new DemoStory(stack, System.out, "ctr", "ctr-firmware", 15).run();
        try {
            assertThat(outcome.failures()).isEmpty();
            assertThat(outcome.triggeredCohorts()).containsExactly("gw-200:1.0");
            assertThat(outcome.devices()).isEqualTo(Map.of("gw-100", Map.of("1.2.0", 15L), "gw-200",
                    Map.of("1.1.0", 15L)));
            UpdraftApi api = UpdraftApi.of(stack);
            JsonNode first = api.rolloutActions(outcome.firstRolloutId());
            assertThat(first).hasSize(30).allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
            JsonNode health = api.rolloutHealth(outcome.secondRolloutId());
            Map<String, JsonNode> cohorts = new HashMap<>();
            health.path("cohorts").forEach(c -> cohorts.put(c.path("cohort").asText(), c));
            assertThat(cohorts.get("gw-200:1.0").path("rolledBack").asBoolean()).isTrue();
            assertThat(cohorts.get("gw-100:1.0").path("rolledBack").asBoolean()).isFalse();
            assertThat(cohorts.get("gw-100:1.0").path("failed").asInt()).isZero();
            assertThat(outcome.fleet().repeatedInstalls()).isEmpty();
        } finally {
            outcome.fleet().close();
        }

        // after the story: every container still runs, never restarted, never OOM-killed
        StringBuilder report = new StringBuilder("\n=== ServiceContainersIT: the containers after the rollouts ===\n");
        report.append(String.format("%-18s %-10s %-12s %-12s %-10s %s%n", "container", "limit", "peak", "now",
                "ready in", "started at"));
        Map<String, String> usage = memoryUsage();
        for (String service : SERVICES) {
            JsonNode state = inspect(service).path("State");
            assertThat(state.path("Running").asBoolean()).as(service + " still running").isTrue();
            assertThat(state.path("OOMKilled").asBoolean()).as(service + " OOM-killed").isFalse();
            assertThat(inspect(service).path("RestartCount").asInt()).as(service + " restarts").isZero();
            long peak = Long.parseLong(exec(service, "cat", "/sys/fs/cgroup/memory/memory.max_usage_in_bytes"));
            assertThat(peak).as(service + " peak memory within the limit").isLessThanOrEqualTo(limits.get(service));
            report.append(String.format("%-18s %-10s %-12s %-12s %-10s %s%n", service, mib(limits.get(service)),
                    mib(peak), usage.getOrDefault(stack.container(service), "?"),
                    String.format("%.1f s", stack.readyAfter().get(service).toMillis() / 1e3),
                    state.path("StartedAt").asText()));
        }
        for (String infra : List.of("kafka", "postgres")) {
            JsonNode state = inspect(infra).path("State");
            assertThat(state.path("Running").asBoolean()).as(infra + " still running").isTrue();
            report.append(String.format("%-18s %-10s %-12s %-12s %-10s %s%n", infra, "-", "-",
                    usage.getOrDefault(stack.container(infra), "?"), "-", state.path("StartedAt").asText()));
        }
        report.append(String.format("wall time from docker run to the end of the story: %.1f s%n",
                (System.nanoTime() - startedNanos) / 1e9));
        System.out.println(report);
    }

    private static JsonNode inspect(String name) throws Exception {
        return JSON.readTree(DOCKER.run("inspect", stack.container(name))).get(0);
    }

    private static String exec(String name, String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("exec", stack.container(name)));
        args.addAll(List.of(command));
        Docker.Result result = DOCKER.call(Duration.ofSeconds(30), args);
        return (result.out() + result.err()).strip();
    }

    /** docker stats --no-stream: container name → memory in use now. */
    private static Map<String, String> memoryUsage() {
        Map<String, String> usage = new HashMap<>();
        List<String> args = new java.util.ArrayList<>(List.of("stats", "--no-stream", "--format",
                "{{.Name}}\t{{.MemUsage}}"));
        SERVICES.forEach(service -> args.add(stack.container(service)));
        args.addAll(List.of(stack.container("kafka"), stack.container("postgres")));
        DOCKER.run(Duration.ofMinutes(1), args).lines().forEach(line -> {
                    String[] parts = line.split("\t");
                    if (parts.length == 2) {
                        usage.put(parts[0], parts[1].split(" / ")[0].strip());
                    }
                });
        return usage;
    }

    /** deploy/'s sizeLimit of the emptyDir mounted on /tmp. */
    private static String tmpSizeLimit(List<JsonNode> dev, String service) {
        JsonNode spec = Objects.get(dev, "Deployment", service).at("/spec/template/spec");
        String volume = Objects.list(Objects.container(dev, service).path("volumeMounts")).stream()
                .filter(m -> "/tmp".equals(m.path("mountPath").asText())).findFirst().orElseThrow()
                .path("name").asText();
        return Objects.list(spec.path("volumes")).stream().filter(v -> volume.equals(v.path("name").asText()))
                .findFirst().orElseThrow().at("/emptyDir/sizeLimit").asText();
    }

    /** A Kubernetes quantity (768Mi, 1Gi) in bytes. */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi)?").matcher(quantity);
        assertThat(m.matches()).as("quantity " + quantity).isTrue();
        long value = Long.parseLong(m.group(1));
        return m.group(2) == null ? value : switch (m.group(2)) {
            case "Ki" -> value << 10;
            case "Mi" -> value << 20;
            default -> value << 30;
        };
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
