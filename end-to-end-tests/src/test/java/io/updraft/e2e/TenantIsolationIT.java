package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.devstack.DevTokens;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23's isolation test (ADR 0021): the four packaged services in {@code updraft.tenancy.mode=multi}, one broker,
 * one PostgreSQL, two tenants that the platform administrator creates first and that then use the same device ids,
 * the same release name and version and the same rollout name. Everything goes over HTTP: DDI under each tenant's
 * path with its gateway token, the management APIs with each tenant's token. ACME's gw-200 devices fail 2.0.0, so
 * telemetry rolls that cohort back in ACME; GLOBEX's identical cohort must not notice. One stack start, one test.
 */
class TenantIsolationIT {
    private static final String ACME = "ACME";
    private static final String GLOBEX = "GLOBEX";
    private static final List<String> TENANTS = List.of(ACME, GLOBEX);
    private static final String FLEET = "e2e";
    private static final String GOOD = "gw-100";
    private static final String BAD = "gw-200";
    private static final String REVISION = "1.0";
    private static final int PER_MODEL = 4;
    private static final String RELEASE = "e2e-fw";
    private static final String VERSION = "2.0.0";
    private static final String ROLLOUT = "e2e-isolation";
    /** Registered in GLOBEX only (by its first DDI poll): ACME must not see it anywhere. */
    private static final String GLOBEX_ONLY_DEVICE = "e2e-globex-only";
    private static final Pattern MODULE = Pattern.compile("/softwaremodules/([^/]+)/artifacts/([^/?]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Map<String, String> GATEWAY_TOKENS = Map.of(ACME, randomHex(), GLOBEX, randomHex());
    private static LocalStack stack;
    private static long started;

    @BeforeAll
    static void startMultiTenantStack() {
        started = System.nanoTime();
        stack = EndToEndStack.startOwn("tenants", Map.of("updraft.tenancy.mode", "multi",
                "updraft.gateway.tenants.ACME.gateway-token", GATEWAY_TOKENS.get(ACME),
                "updraft.gateway.tenants.GLOBEX.gateway-token", GATEWAY_TOKENS.get(GLOBEX)));
        step("stack started");
    }

    @AfterAll
    static void stopStack() throws InterruptedException {
        if (stack != null) {
            // the four services at once (each shuts down gracefully, up to 20 s), then the broker and PostgreSQL
            ExecutorService stopping = Executors.newFixedThreadPool(LocalStack.SERVICES.size());
            stack.services().values().forEach(service -> stopping.execute(service::stop));
            stopping.shutdown();
            stopping.awaitTermination(1, TimeUnit.MINUTES);
            stack.close();
        }
        step("stack stopped");
    }

    /** Prints how long the class has run at each step: where the time goes on a busy machine. */
    private static void step(String name) {
        System.out.printf("TenantIsolationIT: %-20s at %5.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    @Test
    void twoTenantsWithTheSameIdsAndNamesStayApartFromDdiToTheDashboard() throws Exception {
        DevTokens mint = stack.keys().tokens();
        String platformAdmin = mint.platformAdmin();
        Map<String, String> tokens = new LinkedHashMap<>();
        Map<String, UpdraftApi> apis = new LinkedHashMap<>();
        for (String tenant : TENANTS) {
            // the claim in lower case: tenant ids are compared without case (TenantIds)
            tokens.put(tenant, mint.mintForTenant(tenant.toLowerCase(), tenant.toLowerCase() + "-ops",
                    Duration.ofHours(1), "publisher", "operator", "viewer"));
            apis.put(tenant, new UpdraftApi(url("release-service"), url("rollout-service"), url("telemetry-service"),
                    tokens.get(tenant)));
        }

        step("tenants");
        // given the platform administrator creates both tenants (release-service's registry)
        for (String tenant : TENANTS) {
            HttpResponse<String> created = call("POST", url("release-service") + "/api/v1/tenants", platformAdmin,
                    "{\"id\":\"" + tenant.toLowerCase() + "\",\"displayName\":\"" + tenant + " Corp.\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/api/v1/tenants/" + tenant));
            assertThat(UpdraftApi.parse(created.body()).path("id").asText()).isEqualTo(tenant);
        }
        JsonNode registry = json(call("GET", url("release-service") + "/api/v1/tenants", platformAdmin, null), 200);
        assertThat(fields(registry, "id")).contains(ACME, GLOBEX);

        // and each tenant a fleet with the same device ids, ACME's gw-200 failing 2.0.0, GLOBEX's not
        Map<String, Fleet> fleets = new LinkedHashMap<>();
        try {
            for (String tenant : TENANTS) {
                List<FleetScenario.FailureRule> failures = tenant.equals(ACME)
                        ? List.of(new FleetScenario.FailureRule(BAD, VERSION, 1.0)) : List.of();
                fleets.put(tenant, new Fleet(new FleetScenario(url("device-gateway"), tenant,
                        GATEWAY_TOKENS.get(tenant), FLEET, List.of(new FleetScenario.HardwareMix(GOOD, REVISION,
                                PER_MODEL), new FleetScenario.HardwareMix(BAD, REVISION, PER_MODEL)),
                        failures, Duration.ofMillis(300), Duration.ofSeconds(1), "1.0.0")).start());
            }
            assertThat(fleets.get(ACME).deviceIds()).isEqualTo(fleets.get(GLOBEX).deviceIds());
            // and one device that only GLOBEX has, registered by its first poll with GLOBEX's gateway token
            assertThat(ddi(GLOBEX, GATEWAY_TOKENS.get(GLOBEX), GLOBEX_ONLY_DEVICE, "").statusCode()).isEqualTo(200);

            // and the same release name and version in both tenants, each with its own bytes
            Map<String, byte[]> images = new HashMap<>();
            Map<String, JsonNode> releases = new HashMap<>();
            for (String tenant : TENANTS) {
                images.put(tenant, image(tenant));
                releases.put(tenant, apis.get(tenant).publishRelease(RELEASE, VERSION,
                        List.of(new UpdraftApi.Hardware(GOOD, REVISION), new UpdraftApi.Hardware(BAD, REVISION)),
                        List.of(new UpdraftApi.Artifact(RELEASE + "-" + VERSION + ".swu", images.get(tenant)))));
            }
            assertThat(releases.get(ACME).path("id").asText()).isNotEqualTo(releases.get(GLOBEX).path("id").asText());
            for (String tenant : TENANTS) {
                assertThat(fields(apis.get(tenant).releases("name=" + RELEASE), "id"))
                        .containsExactly(releases.get(tenant).path("id").asText());
            }

            step("inventory");
            // when each tenant's inventory is complete, each starts a rollout of the same name
            for (String tenant : TENANTS) {
                await(tenant + " inventory").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> inventory(apis.get(tenant)).values().stream().mapToLong(Long::longValue).sum(),
                                known -> known == 2 * PER_MODEL);
            }
            Map<String, String> rollouts = new LinkedHashMap<>();
            for (String tenant : TENANTS) {
                ObjectNode body = UpdraftApi.object().put("name", ROLLOUT)
                        .put("releaseId", releases.get(tenant).path("id").asText()).put("soakTime", "PT3S")
                        // a wave is judged over both cohorts: all of gw-200 failing is half of it, under 0.9
                        .put("errorThreshold", 0.9).put("actionType", "FORCED");
                body.putObject("target").put("fleet", FLEET);
                body.putArray("waves").add(20).add(100);
                body.putObject("rollbackPolicy").put("failureRateThreshold", 0.5).put("minSampleSize", 3);
                rollouts.put(tenant, EndToEndStack.createRollout(apis.get(tenant), body, Duration.ofSeconds(60)));
            }
            assertThat(rollouts.get(ACME)).isNotEqualTo(rollouts.get(GLOBEX));

            step("rollouts");
            // then both rollouts go through
            for (String tenant : TENANTS) {
                JsonNode end = await(tenant + " rollout ended").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> apis.get(tenant).rollout(rollouts.get(tenant)),
                                view -> List.of("COMPLETED", "ABORTED", "PAUSED").contains(view.path("state").asText()));
                assertThat(end.path("state").asText()).as(tenant + ": " + end).isEqualTo("COMPLETED");
            }

            step("rollback");
            // and the degraded cohort is rolled back in ACME only: telemetry's decision and rollout-service's cohort
            await("ACME's rollback decided").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fields(apis.get(ACME).rollbacks(rollouts.get(ACME)), "cohort"),
                            cohorts -> cohorts.equals(List.of(BAD + ":" + REVISION)));
            assertThat(apis.get(GLOBEX).rollbacks(rollouts.get(GLOBEX))).isEmpty();
            assertThat(cohortStates(apis.get(ACME).rollout(rollouts.get(ACME))))
                    .isEqualTo(Map.of(GOOD + ":" + REVISION, "ACTIVE", BAD + ":" + REVISION, "ROLLED_BACK"));
            assertThat(cohortStates(apis.get(GLOBEX).rollout(rollouts.get(GLOBEX))))
                    .isEqualTo(Map.of(GOOD + ":" + REVISION, "ACTIVE", BAD + ":" + REVISION, "ACTIVE"));
            JsonNode globexActions = apis.get(GLOBEX).rolloutActions(rollouts.get(GLOBEX));
            assertThat(globexActions).hasSize(2 * PER_MODEL).allSatisfy(action -> {
                assertThat(action.path("state").asText()).isEqualTo("SUCCEEDED");
                assertThat(action.path("rollback").asBoolean()).isFalse();
            });
            JsonNode acmeActions = apis.get(ACME).rolloutActions(rollouts.get(ACME));
            assertThat(fields(acmeActions, "actionId")).doesNotContainAnyElementsOf(fields(globexActions, "actionId"));
            for (JsonNode action : acmeActions) {
                boolean bad = action.path("cohort").asText().equals(BAD + ":" + REVISION);
                assertThat(action.path("state").asText()).as(action.toString())
                        .isIn(bad ? List.of("FAILED", "CANCELED") : List.of("SUCCEEDED"));
            }

            step("fleets");
            // and the devices run what their own tenant sent them
            await("fleets settled").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                    fleets.get(GLOBEX).versionsByModel().equals(Map.of(GOOD, Map.of(VERSION, (long) PER_MODEL), BAD,
                            Map.of(VERSION, (long) PER_MODEL)))
                    && fleets.get(ACME).versionsByModel().equals(Map.of(GOOD, Map.of(VERSION, (long) PER_MODEL), BAD,
                            Map.of("1.0.0", (long) PER_MODEL))));
            for (Fleet fleet : fleets.values()) {
                assertThat(fleet.repeatedInstalls()).isEmpty();
                assertThat(fleet.logs().stream().flatMap(log -> log.problems().stream()).toList()).isEmpty();
            }

            step("telemetry views");
            // and telemetry's views for each token show that tenant's rollout only
            JsonNode acmeHealth = apis.get(ACME).rolloutHealth(rollouts.get(ACME));
            JsonNode globexHealth = apis.get(GLOBEX).rolloutHealth(rollouts.get(GLOBEX));
            assertThat(cohort(acmeHealth, BAD).path("rolledBack").asBoolean()).isTrue();
            assertThat(cohort(acmeHealth, BAD).path("failed").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(cohort(globexHealth, BAD).path("rolledBack").asBoolean()).isFalse();
            assertThat(cohort(globexHealth, BAD).path("failed").asInt()).isZero();
            assertThat(cohort(globexHealth, BAD).path("succeeded").asInt()).isEqualTo(PER_MODEL);
            for (String tenant : TENANTS) {
                String own = rollouts.get(tenant);
                JsonNode dashboard = json(call("GET", url("telemetry-service") + "/api/v1/dashboard",
                        tokens.get(tenant), null), 200);
                assertThat(fields(dashboard.path("rollouts"), "rolloutId")).as(tenant).containsExactly(own);
                assertThat(fields(dashboard.path("rollbacks"), "rolloutId")).as(tenant)
                        .allMatch(own::equals).hasSize(tenant.equals(ACME) ? 1 : 0);
                JsonNode recent = json(call("GET", url("telemetry-service") + "/api/v1/rollbacks", tokens.get(tenant),
                        null), 200);
                assertThat(fields(recent, "rolloutId")).as(tenant).allMatch(own::equals)
                        .hasSize(tenant.equals(ACME) ? 1 : 0);
            }

            step("DDI");
            // and over DDI each device gets its own tenant's action and artifact bytes, nothing of the other's
            String probe = FLEET + "-" + GOOD + "-000";
            Map<String, String> downloads = new HashMap<>();
            Map<String, Long> probeActions = new HashMap<>();
            for (String tenant : TENANTS) {
                long actionId = apis.get(tenant).rolloutActions(rollouts.get(tenant)).findParents("deviceId").stream()
                        .filter(a -> a.path("deviceId").asText().equals(probe)).findFirst().orElseThrow()
                        .path("actionId").asLong();
                probeActions.put(tenant, actionId);
                JsonNode installed = json(ddi(tenant, GATEWAY_TOKENS.get(tenant), probe, "/installedBase/"
                        + actionId), 200);
                JsonNode artifact = installed.path("deployment").path("chunks").path(0).path("artifacts").path(0);
                assertThat(installed.path("deployment").path("chunks").path(0).path("version").asText())
                        .isEqualTo(VERSION);
                assertThat(artifact.path("hashes").path("sha256").asText()).isEqualTo(sha256(images.get(tenant)));
                String href = artifact.path("_links").path("download-http").path("href").asText();
                HttpResponse<byte[]> bytes = HTTP.send(HttpRequest.newBuilder(URI.create(href))
                        .header("Authorization", "GatewayToken " + GATEWAY_TOKENS.get(tenant)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(bytes.statusCode()).isEqualTo(200);
                assertThat(bytes.body()).as(tenant + "'s image").isEqualTo(images.get(tenant));
                Matcher module = MODULE.matcher(href);
                assertThat(module.find()).as(href).isTrue();
                downloads.put(tenant, module.group(1) + "/artifacts/" + module.group(2));
            }
            assertThat(images.get(ACME)).isNotEqualTo(images.get(GLOBEX));
            for (String tenant : TENANTS) {
                String other = tenant.equals(ACME) ? GLOBEX : ACME;
                // the other tenant's action and artifact on this tenant's device: 404, as unknown ones
                assertThat(ddi(tenant, GATEWAY_TOKENS.get(tenant), probe, "/installedBase/"
                        + probeActions.get(other)).statusCode()).isEqualTo(404);
                assertThat(ddi(tenant, GATEWAY_TOKENS.get(tenant), probe, "/softwaremodules/"
                        + downloads.get(other)).statusCode()).isEqualTo(404);
                // the other tenant's gateway token on this tenant's path: 401
                assertThat(ddi(tenant, GATEWAY_TOKENS.get(other), probe, "").statusCode()).isEqualTo(401);
            }

            step("cross-tenant 404");
            // and a token of one tenant gets 404 for every resource of the other, changing nothing
            await("GLOBEX's own device known to rollout-service").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300)).until(() -> call("GET", url("rollout-service")
                            + "/api/v1/devices/" + GLOBEX_ONLY_DEVICE, tokens.get(GLOBEX), null).statusCode() == 200);
            assertThat(call("GET", url("device-gateway") + "/api/v1/devices/" + GLOBEX_ONLY_DEVICE, tokens.get(GLOBEX),
                    null).statusCode()).isEqualTo(200);
            HttpResponse<String> upload = call("POST", url("release-service") + "/api/v1/uploads", tokens.get(GLOBEX),
                    "{\"name\":\"globex.bin\",\"size\":4}");
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            String globexUpload = UpdraftApi.parse(upload.body()).path("uploadId").asText();
            for (String tenant : TENANTS) {
                String other = tenant.equals(ACME) ? GLOBEX : ACME;
                String token = tokens.get(tenant);
                List<String> foreign = new ArrayList<>(List.of(
                        "GET " + url("release-service") + "/api/v1/releases/" + releases.get(other).path("id").asText(),
                        "POST " + url("release-service") + "/api/v1/releases/" + releases.get(other).path("id").asText()
                                + "/promote",
                        "POST " + url("release-service") + "/api/v1/releases/" + releases.get(other).path("id").asText()
                                + "/revoke",
                        "GET " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other),
                        "GET " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/actions",
                        "GET " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/progress",
                        "GET " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/history",
                        "POST " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/pause",
                        "POST " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/abort",
                        "POST " + url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/cohorts/"
                                + GOOD + ":" + REVISION + "/rollback",
                        "GET " + url("telemetry-service") + "/api/v1/rollouts/" + rollouts.get(other) + "/health"));
                if (tenant.equals(ACME)) {
                    foreign.addAll(List.of(
                            "GET " + url("release-service") + "/api/v1/uploads/" + globexUpload,
                            "GET " + url("rollout-service") + "/api/v1/devices/" + GLOBEX_ONLY_DEVICE,
                            "GET " + url("rollout-service") + "/api/v1/devices/" + GLOBEX_ONLY_DEVICE + "/history",
                            "GET " + url("device-gateway") + "/api/v1/devices/" + GLOBEX_ONLY_DEVICE));
                }
                for (String request : foreign) {
                    String[] parts = request.split(" ", 2);
                    HttpResponse<String> answer = call(parts[0], parts[1], token, parts[0].equals("POST") ? "{}" : null);
                    assertThat(answer.statusCode()).as(tenant + " token: " + request + " → " + answer.body())
                            .isEqualTo(404);
                }
                // rollbacks asked for by the other tenant's rollout id: none (a filter, not a resource)
                assertThat(apis.get(tenant).rollbacks(rollouts.get(other))).isEmpty();
                // the shared device ids are each tenant's own device: its own actions, its own version
                JsonNode device = json(call("GET", url("device-gateway") + "/api/v1/devices/" + probe, token, null),
                        200);
                assertThat(fields(device.path("actions"), "rolloutId")).containsOnly(rollouts.get(tenant));
                JsonNode badDevice = json(call("GET", url("rollout-service") + "/api/v1/devices/" + FLEET + "-" + BAD
                        + "-000", token, null), 200);
                if (tenant.equals(ACME)) {
                    assertThat(badDevice.path("installedVersion").asText()).as(badDevice.toString())
                            .isNotEqualTo(VERSION);
                } else {
                    assertThat(badDevice.path("installedVersion").asText()).as(badDevice.toString())
                            .isEqualTo(VERSION);
                }
                assertThat(fields(apis.get(tenant).rolloutsPage("name=" + ROLLOUT).items(), "id"))
                        .containsExactly(rollouts.get(tenant));
            }
            // nothing the refused calls named changed
            for (String tenant : TENANTS) {
                assertThat(apis.get(tenant).release(releases.get(tenant).path("id").asText()).path("state").asText())
                        .isEqualTo("PUBLISHED");
                assertThat(apis.get(tenant).rollout(rollouts.get(tenant)).path("state").asText())
                        .isEqualTo("COMPLETED");
                assertThat(cohortStates(apis.get(tenant).rollout(rollouts.get(tenant))).get(GOOD + ":" + REVISION))
                        .isEqualTo("ACTIVE");
            }

            step("platform-admin 403");
            // and the platform administrator is 403 on tenant data, for existing and unknown ids alike
            for (String request : List.of(
                    url("release-service") + "/api/v1/releases",
                    url("release-service") + "/api/v1/releases/" + releases.get(ACME).path("id").asText(),
                    url("release-service") + "/api/v1/releases/no-such-release",
                    url("release-service") + "/api/v1/uploads/" + globexUpload,
                    url("rollout-service") + "/api/v1/rollouts",
                    url("rollout-service") + "/api/v1/rollouts/" + rollouts.get(GLOBEX),
                    url("rollout-service") + "/api/v1/rollouts/no-such-rollout",
                    url("rollout-service") + "/api/v1/devices/" + probe,
                    url("device-gateway") + "/api/v1/devices/" + probe,
                    url("telemetry-service") + "/api/v1/rollouts/" + rollouts.get(ACME) + "/health",
                    url("telemetry-service") + "/api/v1/dashboard",
                    url("telemetry-service") + "/api/v1/rollbacks")) {
                HttpResponse<String> answer = call("GET", request, platformAdmin, null);
                assertThat(answer.statusCode()).as("platform-admin: GET " + request + " → " + answer.body())
                        .isEqualTo(403);
            }
            step("done");
        } finally {
            fleets.values().forEach(Fleet::close);
        }
    }

    /** model → installed version → devices of this fleet, as rollout-service's inventory for the token says. */
    private static Map<String, Long> inventory(UpdraftApi api) {
        Map<String, Long> models = new TreeMap<>();
        for (JsonNode device : api.devices("page=0&size=500").path("items")) {
            String model = device.path("attributes").path("model").asText("");
            if (device.path("deviceId").asText().startsWith(FLEET + "-gw-") && !model.isEmpty()) {
                models.merge(model, 1L, Long::sum);
            }
        }
        return models;
    }

    /** One field of each element of an array (not of nested objects, as findValuesAsText would). */
    private static List<String> fields(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(element -> values.add(element.path(field).asText()));
        return values;
    }

    private static Map<String, String> cohortStates(JsonNode rollout) {
        Map<String, String> states = new TreeMap<>();
        rollout.path("cohorts").forEach(c -> states.put(c.path("cohort").asText(), c.path("state").asText()));
        return states;
    }

    private static JsonNode cohort(JsonNode health, String model) {
        for (JsonNode cohort : health.path("cohorts")) {
            if (cohort.path("cohort").asText().equals(model + ":" + REVISION)) {
                return cohort;
            }
        }
        throw new AssertionError("no cohort " + model + " in " + health);
    }

    /** Each tenant's image: different bytes under the same release name, version and file name. */
    private static byte[] image(String tenant) {
        byte[] image = new byte[64 * 1024];
        new Random(tenant.hashCode()).nextBytes(image);
        byte[] label = (tenant + " firmware " + VERSION + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, image, 0, label.length);
        return image;
    }

    private static String url(String service) {
        return stack.service(service).url();
    }

    private static HttpResponse<String> ddi(String tenant, String gatewayToken, String device, String path) {
        return send(HttpRequest.newBuilder(URI.create(url("device-gateway") + "/" + tenant + "/controller/v1/"
                + device + path)).header("Authorization", "GatewayToken " + gatewayToken)
                .header("Accept", "application/json").GET().build());
    }

    private static HttpResponse<String> call(String method, String url, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.uri() + " → " + response.body()).isEqualTo(status);
        return UpdraftApi.parse(response.body());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String randomHex() {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
