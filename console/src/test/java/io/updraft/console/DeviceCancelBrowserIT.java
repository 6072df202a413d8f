package io.updraft.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.updraft.launcher.UpdraftApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator cancels a device's pending action from the device's page, against the real stack (ConsoleStack): the
 * device — driven here over DDI, step by step, so its action stays pending until the test lets it answer — fetched
 * its deployment; the button asks the gateway, the device's next poll gets {@code cancelAction}, it acknowledges,
 * and the page shows the action CANCELED at the gateway and in the device's history, with the operator and the reason
 * given. A viewer sees no such button and the gateway refuses the viewer's cancel sent through the console's origin.
 * The device also reports its health over DDI: the device list's Health column (one batch request for the page) and
 * the device's page show telemetry-service's view of it, and a newer report reaches the open page by itself. A second
 * device waits for its confirmation of an install: the page shows its auto-confirm, a viewer gets no switch (and the
 * gateway refuses the viewer's switch), an operator's click switches it on — the device is offered its deployment —
 * and off.
 */
class DeviceCancelBrowserIT {
    private static final Path SHOTS = ConsoleBrowser.SHOTS;
    private static final String MODEL = "gw-cancel";
    private static final String REASON = "wrong image for site B";
    private static final LocatorAssertions.ContainsTextOptions SOON = new LocatorAssertions.ContainsTextOptions()
            .setTimeout(120_000);
    private static final LocatorAssertions.IsVisibleOptions VISIBLE = new LocatorAssertions.IsVisibleOptions()
            .setTimeout(120_000);

    private static ConsoleStack stack;
    private static UpdraftApi api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> browserErrors = new CopyOnWriteArrayList<>();

    @TempDir
    Path temp;

    @BeforeAll
    static void startStack() throws Exception {
        stack = ConsoleStack.get();
        api = UpdraftApi.of(stack.services);
        Files.createDirectories(SHOTS);
    }

    @Test
    void anOperatorCancelsADevicesPendingActionAndSeesItCanceledWhileAViewerCannot() throws Exception {
        String deviceId = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
        String ddi = stack.services.service("device-gateway").url() + "/DEFAULT/controller/v1/" + deviceId;
        assertThat(ddiSend("GET", ddi, null).statusCode()).isEqualTo(200); // first contact registers it
        assertThat(ddiSend("PUT", ddi + "/configData", UpdraftApi.json(Map.of("mode", "replace", "data",
                Map.of("model", MODEL, "revision", "1.0", "swVersion", "0.9.0")))).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&limit=500").path("items").size() >= 1);
        // its health, over DDI, before any rollout: an unhealthy app with two crashes
        assertThat(ddiSend("POST", ddi + "/health", UpdraftApi.json(Map.of("bootOk", true, "crashCount", 2,
                "appHealthy", false, "metrics", Map.of("cpu", 0.42, "temp", 55.5))))).extracting(HttpResponse::statusCode)
                .isEqualTo(204);
        JsonNode health = await("health at telemetry").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> telemetryHealth(deviceId), h -> h != null);
        assertThat(health.path("crashCount").asInt()).isEqualTo(2);

        byte[] image = new byte[32 * 1024];
        new Random(22).nextBytes(image);
        JsonNode release = api.publishRelease("cancel-firmware", "1.0.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("cancel-firmware-1.0.0.swu", image)));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("name", "cancel me");
        body.putObject("target").put("model", MODEL);
        String rolloutId = await("rollout created").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.tryCreateRollout(body), r -> r.statusCode() == 201).body()
                .transform(b -> UpdraftApi.parse(b).path("id").asText());

        // the device fetches its deployment and says it is downloading, then goes quiet
        String deployment = await("deploymentBase offered").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> UpdraftApi.parse(ddiSend("GET", ddi, null).body()).path("_links").path("deploymentBase")
                        .path("href").asText(null), href -> href != null);
        assertThat(ddiSend("GET", deployment, null).statusCode()).isEqualTo(200);
        long actionId = Long.parseLong(URI.create(deployment).getPath().replaceAll(".*/", ""));
        assertThat(ddiSend("POST", ddi + "/deploymentBase/" + actionId + "/feedback", feedback(actionId, "proceeding",
                "none")).statusCode()).isEqualTo(200);
        String cancelPath = "/gateway/api/v1/devices/" + deviceId + "/actions/" + actionId + "/cancel";

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright)) {
            Page page = page(browser);
            List<String> healthRequests = new CopyOnWriteArrayList<>();
            page.onRequest(request -> {
                if (request.url().contains("/telemetry/api/v1/devices/")) {
                    healthRequests.add(request.method() + " " + URI.create(request.url()).getRawPath());
                }
            });
            signIn(page, stack.token("victor", "viewer"));

            // the device list: a Health column, filled by one batch request for the page, not one per row
            page.navigate(stack.url() + "/#/devices?model=" + MODEL);
            Locator row = page.locator("#device-results tr[data-device='" + deviceId + "']");
            assertThat(row).containsText("unhealthy", SOON);
            assertThat(page.locator("#device-results th:has-text('Health')")).hasCount(1);
            assertThat(healthRequests).as("the list's health reads").isNotEmpty()
                    .allMatch(r -> r.equals("POST /telemetry/api/v1/devices/health/batch"));
            shot(page, "device-list-health");

            // the device's page: telemetry's view of its health, field by field
            page.navigate(stack.url() + "/#/devices/" + deviceId);
            assertThat(page.locator("#health-status")).containsText("unhealthy", SOON);
            assertThat(page.locator("#health-boot")).hasText("yes");
            assertThat(page.locator("#health-crashes")).hasText(health.path("crashCount").asText());
            assertThat(page.locator("#health-app")).hasText("no");
            assertThat(page.locator("#health-at")).hasText(shownTime(health.path("reportedAt").asText()));
            assertThat(page.locator("#device-health tr[data-metric=cpu]")).containsText("0.42");
            assertThat(page.locator("#device-health tr[data-metric=temp]")).containsText("55.5");

            // a viewer: the device's pending action, but no button
            assertThat(page.locator("#target")).containsText("RUNNING", SOON);
            assertThat(page.locator("#device-actions")).containsText("RUNNING", SOON);
            assertThat(page.locator("#cancel-action")).hasCount(0);
            assertThat(page.locator("#cancel-reason")).hasCount(0);

            // a newer report reaches the open page by itself: healthy again
            assertThat(ddiSend("POST", ddi + "/health", UpdraftApi.json(Map.of("bootOk", true, "crashCount", 0,
                    "appHealthy", true, "metrics", Map.of("cpu", 0.1))))).extracting(HttpResponse::statusCode)
                    .isEqualTo(204);
            assertThat(page.locator("#health-status")).hasText("healthy", new LocatorAssertions.HasTextOptions()
                    .setTimeout(120_000));
            JsonNode newer = telemetryHealth(deviceId);
            assertThat(page.locator("#health-crashes")).hasText(newer.path("crashCount").asText());
            assertThat(page.locator("#health-at")).hasText(shownTime(newer.path("reportedAt").asText()));
            shot(page, "device-cancel-viewer");
            page.locator("#sign-out").click();

            // the cancel the console hid, sent through its origin with the viewer's token: refused; no token: 401
            assertThat(postThroughConsole(cancelPath, stack.token("victor", "viewer")).statusCode()).isEqualTo(403);
            assertThat(postThroughConsole(cancelPath, stack.token("victor", "viewer"), "{\"reason\":\"viewer says\"}")
                    .statusCode()).isEqualTo(403);
            assertThat(postThroughConsole(cancelPath, null).statusCode()).isEqualTo(401);
            assertThat(UpdraftApi.parse(ddiSend("GET", ddi, null).body()).path("_links").has("cancelAction")).isFalse();

            // the operator cancels from the device's page
            signIn(page, stack.token("olga", "viewer", "operator"));
            page.navigate(stack.url() + "/#/devices/" + deviceId);
            assertThat(page.locator("#cancel-action")).isVisible(VISIBLE);
            page.locator("#cancel-reason").fill(REASON);
            page.locator("#cancel-action").click();
            assertThat(page.locator("#cancel-result")).containsText("CANCELING", SOON);
            assertThat(page.locator("#device-actions")).containsText("CANCELING", SOON);
            assertThat(page.locator("#cancel-action")).hasCount(0);
            shot(page, "device-canceling");

            // the device's next poll: cancelAction (hawkBit's shape), which it acknowledges
            String cancelHref = await("cancelAction offered").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> UpdraftApi.parse(ddiSend("GET", ddi, null).body()).path("_links").path("cancelAction")
                            .path("href").asText(null), href -> href != null);
            assertThat(cancelHref).endsWith("/cancelAction/" + actionId);
            JsonNode cancel = UpdraftApi.parse(ddiSend("GET", cancelHref, null).body());
            assertThat(cancel.path("cancelAction").path("stopId").asText()).isEqualTo(Long.toString(actionId));
            assertThat(ddiSend("POST", cancelHref + "/feedback", feedback(actionId, "closed", "success")).statusCode())
                    .isEqualTo(200);

            // the page updates by itself: CANCELED at the gateway and in the device's history (rollout-service)
            assertThat(page.locator("#device-actions")).containsText("CANCELED", SOON);
            assertThat(page.locator("#device-history tr[data-type=ACTION_CANCELED]")).isVisible(VISIBLE);
            // who asked and why, in the device's history (rollout-service, from the gateway's ActionCanceled)
            Locator canceledRow = page.locator("#device-history tr[data-type=ACTION_CANCELED]");
            assertThat(canceledRow.locator("td").nth(2)).hasText("olga");
            assertThat(canceledRow).containsText(REASON, SOON);
            JsonNode entry = StreamSupport.stream(api.deviceHistory(deviceId, "limit=500").path("entries").spliterator(),
                    false).filter(e -> e.path("type").asText().equals("ACTION_CANCELED")).findFirst().orElseThrow();
            assertThat(entry.path("actor").asText()).isEqualTo("olga");
            assertThat(entry.path("reason").asText()).isEqualTo(REASON);
            assertThat(page.locator("#target")).containsText("none", SOON);
            shot(page, "device-canceled");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> "CANCELED".equals(
                api.rolloutActions(rolloutId).path(0).path("state").asText()));
    }

    @Test
    void aViewerSeesAutoConfirmButNoSwitchWhileAnOperatorsClickConfirmsWhatWaitsAndSwitchesItBack() throws Exception {
        // a device with an install waiting for its confirmation (a rollout with confirmationRequired)
        String model = "gw-consent";
        String deviceId = "consent-" + UUID.randomUUID().toString().substring(0, 8);
        String ddi = stack.services.service("device-gateway").url() + "/DEFAULT/controller/v1/" + deviceId;
        assertThat(ddiSend("GET", ddi, null).statusCode()).isEqualTo(200);
        assertThat(ddiSend("PUT", ddi + "/configData", UpdraftApi.json(Map.of("mode", "replace", "data",
                Map.of("model", model, "revision", "1.0")))).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + model + "&limit=500").path("items").size() >= 1);
        byte[] image = new byte[16 * 1024];
        new Random(23).nextBytes(image);
        JsonNode release = api.publishRelease("consent-firmware", "1.0.0", List.of(new UpdraftApi.Hardware(model, "1.0")),
                List.of(new UpdraftApi.Artifact("consent-firmware-1.0.0.swu", image)));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("name", "consent")
                .put("confirmationRequired", true);
        body.putObject("target").put("model", model);
        await("rollout created").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.tryCreateRollout(body), r -> r.statusCode() == 201);
        String asked = await("confirmationBase offered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> links(ddi).path("confirmationBase").path("href").asText(null), href -> href != null);
        long actionId = Long.parseLong(URI.create(asked).getPath().replaceAll(".*/", ""));
        assertThat(links(ddi).has("deploymentBase")).isFalse();
        String activate = "/gateway/api/v1/devices/" + deviceId + "/auto-confirm/activate";

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright)) {
            Page page = page(browser);
            // a viewer: the state, no switch
            signIn(page, stack.token("victor", "viewer"));
            page.navigate(stack.url() + "/#/devices/" + deviceId);
            assertThat(page.locator("#auto-confirm")).hasText("off", new LocatorAssertions.HasTextOptions()
                    .setTimeout(120_000));
            assertThat(page.locator("#target")).containsText("PENDING", SOON);
            assertThat(page.locator("#auto-confirm-switch")).hasCount(0);
            shot(page, "device-auto-confirm-viewer");
            page.locator("#sign-out").click();

            // the switch the console hid, through its origin: 403 for the viewer, 401 without a token; nothing changed
            assertThat(postThroughConsole(activate, stack.token("victor", "viewer")).statusCode()).isEqualTo(403);
            assertThat(postThroughConsole(activate, stack.token("victor", "viewer"), "{\"remark\":\"viewer says\"}")
                    .statusCode()).isEqualTo(403);
            assertThat(postThroughConsole(activate, null).statusCode()).isEqualTo(401);
            assertThat(gatewayAutoConfirm(deviceId).path("active").asBoolean()).isFalse();
            assertThat(links(ddi).path("confirmationBase").path("href").asText()).isEqualTo(asked);

            // the operator switches it on: the API reports it with the operator as initiator, the device may go ahead
            signIn(page, stack.token("olga", "viewer", "operator"));
            page.navigate(stack.url() + "/#/devices/" + deviceId);
            Locator toggle = page.locator("#auto-confirm-switch");
            assertThat(toggle).hasText("Switch auto-confirm on", new LocatorAssertions.HasTextOptions()
                    .setTimeout(120_000));
            toggle.click();
            assertThat(page.locator("#auto-confirm")).containsText("on (by olga, since ", SOON);
            assertThat(page.locator("#auto-confirm-result")).containsText("offered at its next poll", SOON);
            JsonNode on = gatewayAutoConfirm(deviceId);
            assertThat(on.path("active").asBoolean()).isTrue();
            assertThat(on.path("initiator").asText()).isEqualTo("olga");
            assertThat(page.locator("#auto-confirm")).containsText(shownTime(on.path("activatedAt").asText()));
            await("deploymentBase offered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> links(ddi).path("deploymentBase").path("href").asText(""),
                            href -> href.contains("/deploymentBase/" + actionId));
            shot(page, "device-auto-confirm-on");

            // and off again
            assertThat(toggle).hasText("Switch auto-confirm off", new LocatorAssertions.HasTextOptions()
                    .setTimeout(60_000));
            toggle.click();
            assertThat(page.locator("#auto-confirm")).hasText("off", new LocatorAssertions.HasTextOptions()
                    .setTimeout(60_000));
            assertThat(gatewayAutoConfirm(deviceId).path("active").asBoolean()).isFalse();
            assertThat(page.locator("#auto-confirm-switch")).hasText("Switch auto-confirm on");
        }
    }

    /** The device's poll answer's links, as the device sees them. */
    private JsonNode links(String ddi) throws Exception {
        return UpdraftApi.parse(ddiSend("GET", ddi, null).body()).path("_links");
    }

    /** The gateway's auto-confirm state of the device, read from the service itself (not through the console). */
    private JsonNode gatewayAutoConfirm(String deviceId) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                stack.services.service("device-gateway").url() + "/api/v1/devices/" + deviceId + "/auto-confirm"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + stack.token("victor", "viewer"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return UpdraftApi.parse(answer.body());
    }

    private static String feedback(long actionId, String execution, String finished) {
        return UpdraftApi.json(Map.of("id", Long.toString(actionId), "status",
                Map.of("execution", execution, "result", Map.of("finished", finished))));
    }

    private HttpResponse<String> ddiSend(String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "GatewayToken " + stack.services.gatewayToken())
                .header("Accept", "application/hal+json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Telemetry-service's view of the device's latest health, read directly (not through the console); null: 404. */
    private JsonNode telemetryHealth(String deviceId) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                stack.services.service("telemetry-service").url() + "/api/v1/devices/" + deviceId + "/health"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + stack.token("victor", "viewer"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 404) {
            return null;
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return UpdraftApi.parse(answer.body());
    }

    /** As the pages show a time (ui.js {@code when}): ISO, a space for the T, no fraction of a second. */
    private static String shownTime(String iso) {
        return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }

    private HttpResponse<String> postThroughConsole(String path, String token) throws Exception {
        return postThroughConsole(path, token, "{}");
    }

    private HttpResponse<String> postThroughConsole(String path, String token, String body) throws Exception {
        return ConsoleBrowser.post(http, stack, path, token, body);
    }

    private static Playwright playwright() throws java.io.IOException {
        return ConsoleBrowser.playwright();
    }

    private BrowserContext browser(Playwright playwright) throws Exception {
        return ConsoleBrowser.browser(playwright, temp, 1280);
    }

    private Page page(BrowserContext browser) {
        return ConsoleBrowser.page(browser, browserErrors);
    }

    @AfterEach
    void noBrowserErrors() {
        assertThat(browserErrors).as("errors the browser reported").isEmpty();
    }

    private static void signIn(Page page, String token) {
        ConsoleBrowser.signIn(page, stack, token);
    }

    private static void shot(Page page, String name) {
        ConsoleBrowser.shot(page, name);
    }

    /**
     * Device consent (issue 23): a rollout requiring confirmation offers the device its install under
     * {@code confirmationBase}; the device denies it over DDI ({@code confirmationBase/{actionId}/feedback}, as hawkBit);
     * the rollout page, open meanwhile, says the rollout asks first and counts the denial in its wave and its cohort
     * (as rollout-service counts it), and the device page's history shows ACTION_DENIED with what it means and what
     * the device said. A second device, of a rollout with a confirmation deadline, is asked and never answers: at the
     * deadline its install ends EXPIRED, which its rollout's page counts and its history names readably.
     */
    @Test
    void aDeviceDeniesAnInstallThatRequiresItsConfirmationAnotherLetsTheDeadlinePassAndThePagesShowBoth()
            throws Exception {
        String model = "gw-deny";
        String silentModel = "gw-deny-silent";
        String deviceId = "deny-" + UUID.randomUUID().toString().substring(0, 8);
        String silentId = "silent-" + UUID.randomUUID().toString().substring(0, 8);
        String ddi = register(deviceId, model);
        String silentDdi = register(silentId, silentModel);
        JsonNode release = api.publishRelease("deny-firmware", "1.0.0", List.of(new UpdraftApi.Hardware(model, "1.0"),
                new UpdraftApi.Hardware(silentModel, "1.0")),
                List.of(new UpdraftApi.Artifact("deny-firmware-1.0.0.swu", new byte[] { 23, 23 })));
        ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText()).put("name", "ask first")
                .put("confirmationRequired", true);
        body.putObject("target").put("model", model);
        String rolloutId = await("rollout created").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.tryCreateRollout(body), r -> r.statusCode() == 201).body()
                .transform(b -> UpdraftApi.parse(b).path("id").asText());

        // the device is asked first: confirmationBase, no deploymentBase
        String ask = await("confirmationBase offered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> UpdraftApi.parse(ddiSend("GET", ddi, null).body()).path("_links").path("confirmationBase")
                        .path("href").asText(null), href -> href != null);
        assertThat(UpdraftApi.parse(ddiSend("GET", ddi, null).body()).path("_links").has("deploymentBase")).isFalse();
        long actionId = Long.parseLong(URI.create(ask).getPath().replaceAll(".*/", ""));
        assertThat(UpdraftApi.parse(ddiSend("GET", ask, null).body()).path("actionHistory").path("status").asText())
                .isEqualTo("WAIT_FOR_CONFIRMATION");

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright)) {
            Page page = page(browser);
            signIn(page, stack.token("olga", "viewer", "operator"));
            page.navigate(stack.url() + "/#/rollouts/" + rolloutId);
            assertThat(page.locator("#confirmation")).hasText("Confirmation required (no deadline)",
                    new LocatorAssertions.HasTextOptions().setTimeout(60_000));
            Locator wave = page.locator("#waves tr[data-wave='1']");
            assertThat(wave.locator("[data-count=denied]")).hasText("0", new LocatorAssertions.HasTextOptions()
                    .setTimeout(60_000));

            // the device (its user) says no
            assertThat(ddiSend("POST", ddi + "/confirmationBase/" + actionId + "/feedback", UpdraftApi.json(Map.of(
                    "confirmation", "denied", "code", 451, "details", List.of("user said not now"))))
                    .statusCode()).isEqualTo(200);

            // the open page counts it by itself: the wave's denied, the cohort's installs by state
            assertThat(wave.locator("[data-count=denied]")).hasText("1", new LocatorAssertions.HasTextOptions()
                    .setTimeout(120_000));
            JsonNode view = api.rollout(rolloutId);
            assertThat(view.path("waves").path(0).path("denied").asInt()).isEqualTo(1);
            assertThat(view.path("waves").path(0).path("failed").asInt()).isZero();
            assertThat(wave.locator("[data-count=failed]")).hasText("0");
            assertThat(page.locator("#cohorts tr[data-cohort='" + model + ":1.0'] [data-state=DENIED] b"))
                    .hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(60_000));
            shot(page, "rollout-denied");

            // the device's page: the denial in its history, readable, with what the device said
            page.navigate(stack.url() + "/#/devices/" + deviceId);
            Locator denied = page.locator("#device-history tr[data-type=ACTION_DENIED]");
            assertThat(denied).isVisible(VISIBLE);
            assertThat(denied).containsText("the device refused to confirm the install");
            assertThat(denied).containsText("code 451 / user said not now");
            assertThat(page.locator("#device-actions")).containsText("DENIED", SOON);
            shot(page, "device-denied");

            // another rollout gives its devices 20 s to answer; the second device is asked and stays silent
            ObjectNode bounded = UpdraftApi.object().put("releaseId", release.path("id").asText())
                    .put("name", "ask, 20 s").put("confirmationRequired", true).put("confirmationDeadline", "PT20S");
            bounded.putObject("target").put("model", silentModel);
            String boundedId = UpdraftApi.parse(await("rollout created").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).until(() -> api.tryCreateRollout(bounded),
                            r -> r.statusCode() == 201).body()).path("id").asText();
            await("the silent device is asked").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> UpdraftApi.parse(ddiSend("GET", silentDdi, null).body()).path("_links")
                            .has("confirmationBase"));
            page.navigate(stack.url() + "/#/rollouts/" + boundedId);
            assertThat(page.locator("#confirmation")).hasText("Confirmation required (deadline PT20S)",
                    new LocatorAssertions.HasTextOptions().setTimeout(60_000));
            // it keeps polling without answering; past the deadline the install is over (no link any more)
            await("the confirmation deadline passes").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !UpdraftApi.parse(ddiSend("GET", silentDdi, null).body()).path("_links")
                            .has("confirmationBase"));
            Locator boundedWave = page.locator("#waves tr[data-wave='1']");
            assertThat(boundedWave.locator("[data-count=expired]")).hasText("1", new LocatorAssertions.HasTextOptions()
                    .setTimeout(120_000));
            assertThat(boundedWave.locator("[data-count=denied]")).hasText("0");
            assertThat(api.rollout(boundedId).path("waves").path(0).path("expired").asInt()).isEqualTo(1);
            page.navigate(stack.url() + "/#/devices/" + silentId);
            Locator expired = page.locator("#device-history tr[data-type=ACTION_EXPIRED]");
            assertThat(expired).isVisible(VISIBLE);
            assertThat(expired).containsText("neither confirmed nor denied the install before the rollout's"
                    + " confirmation deadline");
            assertThat(expired).containsText("confirmation-deadline");
            JsonNode entry = StreamSupport.stream(api.deviceHistory(silentId, "limit=500").path("entries").spliterator(),
                    false).filter(e -> e.path("type").asText().equals("ACTION_EXPIRED")).findFirst().orElseThrow();
            assertThat(entry.path("reason").asText()).isEqualTo("confirmation-deadline");
            shot(page, "device-confirmation-expired");
        }
    }

    /** First contact over DDI and the attributes a rollout targets; returns the device's DDI base URL. */
    private String register(String deviceId, String model) throws Exception {
        String ddi = stack.services.service("device-gateway").url() + "/DEFAULT/controller/v1/" + deviceId;
        assertThat(ddiSend("GET", ddi, null).statusCode()).isEqualTo(200);
        assertThat(ddiSend("PUT", ddi + "/configData", UpdraftApi.json(Map.of("mode", "replace", "data",
                Map.of("model", model, "revision", "1.0", "swVersion", "0.9.0")))).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> StreamSupport.stream(api.devices("model=" + model + "&limit=500").path("items")
                        .spliterator(), false).anyMatch(d -> d.path("deviceId").asText().equals(deviceId)));
        return ddi;
    }
}
