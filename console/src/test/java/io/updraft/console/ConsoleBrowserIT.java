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
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.UpdraftApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in headless Chromium against the real stack: the four packaged services, the packaged console in front
 * of them (one origin), a simulated fleet on the gateway. Every click goes through the console's proxy to a service.
 */
class ConsoleBrowserIT {
    private static final Path SHOTS = ConsoleBrowser.SHOTS;
    private static final String MODEL = "gw-c1";
    private static final int DEVICES = 6;
    private static final LocatorAssertions.HasTextOptions SOON = new LocatorAssertions.HasTextOptions()
            .setTimeout(120_000);
    private static final LocatorAssertions.ContainsTextOptions SOON_CONTAINS = new LocatorAssertions.ContainsTextOptions()
            .setTimeout(120_000);
    private static final LocatorAssertions.IsVisibleOptions VISIBLE = new LocatorAssertions.IsVisibleOptions()
            .setTimeout(60_000);

    private static ConsoleStack stack;
    private static Fleet fleet;
    private static UpdraftApi api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @BeforeAll
    static void startStackAndFleet() throws Exception {
        stack = ConsoleStack.get();
        api = UpdraftApi.of(stack.services);
        fleet = new Fleet(new FleetScenario(stack.services.service("device-gateway").url(), "DEFAULT",
                stack.services.gatewayToken(), "console", List.of(new FleetScenario.HardwareMix(MODEL, "1.0", DEVICES)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(1), "0.9.0")).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&limit=500").path("items").size() == DEVICES);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void anOperatorPublishesByUploadRollsOutFromTheWizardApprovesPausesAndOpensADevice() throws Exception {
        // an artifact over Quarkus' default 10 MiB body limit: the proxy must stream it, not buffer it
        byte[] image = new byte[12 * 1024 * 1024 + 7];
        new Random(20).nextBytes(image);
        Path file = temp.resolve("console-firmware-1.0.1.swu");
        Files.write(file, image);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
            Page page = page(browser);
            signIn(page, stack.token("alice", "viewer", "operator", "publisher"));
            assertThat(page.locator("#roles")).hasText("viewer, operator, publisher");

            // publish a release by uploading a file, with progress
            page.locator("#new-release").click();
            page.locator("input[name=name]").fill("console-firmware");
            page.locator("input[name=version]").fill("1.0.1");
            page.locator("input[name=hardware]").fill(MODEL + ":1.0");
            page.locator("input[name=file]").setInputFiles(file);
            shot(page, "release-publish");
            page.locator("#publish").click();
            assertThat(page.locator("#release-title")).containsText("console-firmware", SOON_CONTAINS);
            Locator artifact = page.locator("tr[data-artifact]");
            assertThat(artifact.locator(".sha256")).hasText(sha256);
            assertThat(artifact.locator("[data-bytes]")).hasAttribute("data-bytes", String.valueOf(image.length));
            assertThat(page.locator("#hardware")).hasText(MODEL + ":1.0");
            String releaseId = page.url().substring(page.url().lastIndexOf('/') + 1);
            assertThat(page.locator(".title .tag")).hasText("PUBLISHED");
            page.locator("#promote").click();
            assertThat(page.locator(".title .tag")).hasText("STABLE", SOON);
            assertThat(page.locator("#promote")).hasCount(0);
            JsonNode stored = api.release(releaseId);
            assertThat(stored.path("state").asText()).isEqualTo("STABLE");
            assertThat(stored.path("artifacts").get(0).path("sha256").asText()).isEqualTo(sha256);
            assertThat(stored.path("artifacts").get(0).path("size").asLong()).isEqualTo(image.length);
            shot(page, "release");

            // the list finds it
            page.navigate(stack.url() + "/#/releases?name=console-firmware");
            assertThat(page.locator("tr[data-release='" + releaseId + "']")).containsText("1.0.1", SOON_CONTAINS);
            shot(page, "releases");

            // a rollout from the wizard: the live preview shows what the API's preview says
            page.navigate(stack.url() + "/#/rollouts/new?release=" + releaseId);
            page.locator("#wizard-name").fill("console rollout");
            page.locator("#wizard-filter").fill("model == \"" + MODEL + "\"");
            page.locator("#wizard-waves").fill("50,100");
            page.locator("#wizard-approval").selectOption("BEFORE_LATER_WAVES");
            page.locator("#wizard-soak").fill("PT1S");
            ObjectNode body = UpdraftApi.object().put("releaseId", releaseId).put("name", "console rollout")
                    .put("filter", "model == \"" + MODEL + "\"").put("approval", "BEFORE_LATER_WAVES")
                    .put("soakTime", "PT1S");
            body.putArray("waves").add(50).add(100);
            JsonNode expected = await("the API's preview").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> api.tryPreviewRollout(body),
                            r -> r.statusCode() == 200)
                    .body().transform(UpdraftApi::parse);
            assertThat(expected.path("matching").asInt()).isEqualTo(DEVICES);
            assertThat(page.locator("#preview-matching b")).hasText(String.valueOf(DEVICES), SOON);
            for (JsonNode cohort : expected.path("cohorts")) {
                Locator row = page.locator("#preview tr[data-cohort='" + cohort.path("cohort").asText() + "']");
                assertThat(row.locator("[data-devices]")).hasText(cohort.path("devices").asText());
                for (int wave = 0; wave < cohort.path("perWave").size(); wave++) {
                    assertThat(row.locator("td").nth(2 + wave)).hasText(cohort.path("perWave").get(wave).asText());
                }
            }
            assertThat(page.locator("#cli")).containsText("updraft rollout create");
            assertThat(page.locator("#cli")).containsText("--release 'console-firmware@1.0.1'");
            assertThat(page.locator("#cli")).containsText("--approval BEFORE_LATER_WAVES");
            shot(page, "rollout-wizard");
            page.locator("#create-rollout").click();

            // the rollout page follows it live: wave 1 installs, then it waits for approval
            assertThat(page.locator("#rollout-title")).hasText("console rollout", SOON);
            String rolloutId = page.url().substring(page.url().lastIndexOf('/') + 1);
            assertThat(page.locator("#rollout-state")).hasText("WAITING FOR APPROVAL", SOON);
            assertThat(page.locator("tr[data-wave='1'] [data-count=installed]")).hasText("3", SOON);
            // telemetry's server-sent events reach the page through the console's proxy, as they come
            assertThat(page.locator("#live[data-stream=on]")).isAttached(
                    new LocatorAssertions.IsAttachedOptions().setTimeout(60_000));

            // pause with a reason, resume, approve
            page.locator("#reason").fill("checking the dashboards first");
            page.locator("#pause").click();
            assertThat(page.locator("#rollout-state")).hasText("PAUSED", SOON);
            Locator paused = page.locator("#history tr[data-type=PAUSED]");
            assertThat(paused).containsText("checking the dashboards first", SOON_CONTAINS);
            assertThat(paused).containsText("alice");
            assertThat(api.rollout(rolloutId).path("state").asText()).isEqualTo("PAUSED");
            shot(page, "rollout-paused");
            page.locator("#resume").click();
            assertThat(page.locator("#rollout-state")).hasText("WAITING FOR APPROVAL", SOON);
            page.locator("#approve").click();
            assertThat(page.locator("#history tr[data-type=APPROVED]")).containsText("alice", SOON_CONTAINS);

            // the simulated fleet finishes it, without a reload
            assertThat(page.locator("#rollout-state")).hasText("COMPLETED", SOON);
            assertThat(page.locator("tr[data-wave='2'] [data-count=installed]")).hasText("3", SOON);
            assertThat(page.locator("#cohorts tr[data-cohort='" + MODEL + ":1.0'] [data-state=SUCCEEDED] b"))
                    .hasText(String.valueOf(DEVICES), SOON);
            assertThat(page.locator("#chart svg polyline[data-series=installed]")).isAttached();
            assertThat(page.locator("#chart svg")).hasAttribute("aria-label",
                    java.util.regex.Pattern.compile("installed " + DEVICES + ", failed 0"));
            assertThat(page.locator("#pause")).isHidden();
            assertThat(page.locator("#approve")).isHidden();
            shot(page, "rollout");

            // a device: attributes, installed release, its history
            page.navigate(stack.url() + "/#/devices?model=" + MODEL);
            Locator first = page.locator("#device-results tr[data-device] a").first();
            assertThat(first).isVisible(VISIBLE);
            shot(page, "devices");
            String deviceId = first.textContent();
            first.click();
            assertThat(page.locator("#device-title")).hasText(deviceId, SOON);
            assertThat(page.locator("#installed")).containsText("1.0.1", SOON_CONTAINS);
            assertThat(page.locator("#device-history tr[data-type=INSTALL_REQUESTED]")).isVisible(VISIBLE);
            assertThat(page.locator("#device-history")).containsText("wave", SOON_CONTAINS);
            assertThat(page.locator("#device-actions")).containsText("FINISHED", SOON_CONTAINS);
            shot(page, "device");

            // tablet width: the same page stays usable (no page-wide horizontal scroll)
            page.setViewportSize(820, 1100);
            page.navigate(stack.url() + "/#/rollouts/" + rolloutId);
            assertThat(page.locator("#rollout-state")).hasText("COMPLETED", SOON);
            Object overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
            shot(page, "rollout-tablet");
        }
    }

    @Test
    void aViewerSeesNoWriteControlsAndTheApiRefusesTheWritesTheConsoleHid() throws Exception {
        byte[] image = new byte[64 * 1024];
        new Random(21).nextBytes(image);
        JsonNode release = api.publishRelease("viewer-firmware", "2.0.0",
                List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("viewer-firmware-2.0.0.swu", image)));
        String releaseId = release.path("id").asText();
        ObjectNode body = UpdraftApi.object().put("releaseId", releaseId).put("name", "viewer rollout")
                .put("approval", "BEFORE_EACH_WAVE");
        body.putObject("target").put("model", MODEL);
        String rolloutId = await("rollout created").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.tryCreateRollout(body), r -> r.statusCode() == 201).body()
                .transform(b -> UpdraftApi.parse(b).path("id").asText());
        String viewer = stack.token("victor", "viewer");

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
            Page page = page(browser);
            // signed in with the keyboard only: the token field has the focus, Tab reaches the button, Enter
            page.navigate(stack.url() + "/");
            assertThat(page.locator("#token")).isFocused();
            page.keyboard().insertText(viewer);
            page.keyboard().press("Tab");
            assertThat(page.locator("form button[type=submit]")).isFocused();
            page.keyboard().press("Enter");
            assertThat(page.locator("#roles")).hasText("viewer");
            assertThat(page.locator("#release-results table")).isVisible(VISIBLE);
            assertThat(page.locator("#new-release")).hasCount(0);

            page.navigate(stack.url() + "/#/releases/" + releaseId);
            assertThat(page.locator("#release-title")).containsText("viewer-firmware", SOON_CONTAINS);
            assertThat(page.locator("#release-actions button, #release-actions a, #release-actions input")).hasCount(0);
            shot(page, "viewer-release");

            page.navigate(stack.url() + "/#/rollouts");
            assertThat(page.locator("tr[data-rollout='" + rolloutId + "']")).isVisible(VISIBLE);
            assertThat(page.locator("#new-rollout")).hasCount(0);

            page.navigate(stack.url() + "/#/rollouts/" + rolloutId);
            assertThat(page.locator("#rollout-state")).hasText("WAITING FOR APPROVAL", SOON);
            assertThat(page.locator("#rollout-controls *")).hasCount(0);
            assertThat(page.locator("#cohorts button")).hasCount(0);
            shot(page, "viewer-rollout");

            page.navigate(stack.url() + "/#/rollouts/new");
            assertThat(page.locator("main [role=alert]")).hasText("Creating a rollout needs the operator role.", SOON);
            assertThat(page.locator("#wizard")).hasCount(0);
        }

        // the writes the console hid, sent through the console's origin with the viewer's token: refused
        assertThat(postThroughConsole("/rollout/api/v1/rollouts/" + rolloutId + "/approve", viewer).statusCode())
                .isEqualTo(403);
        assertThat(postThroughConsole("/rollout/api/v1/rollouts/" + rolloutId + "/pause", viewer).statusCode())
                .isEqualTo(403);
        assertThat(postThroughConsole("/rollout/api/v1/rollouts/" + rolloutId + "/abort", viewer).statusCode())
                .isEqualTo(403);
        assertThat(postThroughConsole("/release/api/v1/releases/" + releaseId + "/revoke", viewer).statusCode())
                .isEqualTo(403);
        assertThat(postThroughConsole("/release/api/v1/releases/" + releaseId + "/promote", viewer).statusCode())
                .isEqualTo(403);
        // and without a token at all: 401
        assertThat(postThroughConsole("/rollout/api/v1/rollouts/" + rolloutId + "/approve", null).statusCode())
                .isEqualTo(401);
        // nothing changed
        assertThat(api.rollout(rolloutId).path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");
        assertThat(api.release(releaseId).path("state").asText()).isEqualTo("PUBLISHED");
        // the same approve with an operator's token through the same origin works: the 403 was the role, not the path
        assertThat(postThroughConsole("/rollout/api/v1/rollouts/" + rolloutId + "/abort",
                stack.token("olga", "operator")).statusCode()).isEqualTo(200);
    }

    @Test
    void aReleasePageListsEveryRolloutOfThatReleaseAcrossPagesAndNoOther() throws Exception {
        // given 101 rollouts of one release (one more than the page the console asks for) and, created after them
        // (so newest of all), rollouts of another release; none dispatches anything: each waits for approval
        String releaseId = quietRelease("paged-firmware", 40);
        String otherId = quietRelease("other-firmware", 41);
        java.util.ArrayList<String> ofRelease = new java.util.ArrayList<>();
        for (int i = 0; i < 101; i++) {
            ofRelease.add(0, waitingRollout(releaseId, "paged " + i));
        }
        List<String> ofOther = List.of(waitingRollout(otherId, "other 0"), waitingRollout(otherId, "other 1"));

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
            Page page = page(browser);
            signIn(page, stack.token("vera", "viewer"));
            page.navigate(stack.url() + "/#/releases/" + releaseId);
            assertThat(page.locator("#release-rollouts-count")).hasText("101 rollouts, newest first", SOON);
            // every rollout of the release once, newest first, past the first page; none of the other release
            Object shown = page.evaluate("() => [...document.querySelectorAll('#release-rollouts tr[data-rollout]')]"
                    + ".map(tr => tr.dataset.rollout)");
            org.assertj.core.api.Assertions.assertThat(shown).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.list(String.class)).isEqualTo(ofRelease)
                    .doesNotContainAnyElementsOf(ofOther);
            assertThat(page.locator("#release-rollouts tr[data-rollout='" + ofRelease.get(100) + "']"))
                    .containsText("paged 0");
            shot(page, "release-rollouts");

            page.navigate(stack.url() + "/#/releases/" + otherId);
            assertThat(page.locator("#release-rollouts-count")).hasText("2 rollouts, newest first", SOON);
            Object other = page.evaluate("() => [...document.querySelectorAll('#release-rollouts tr[data-rollout]')]"
                    + ".map(tr => tr.dataset.rollout)");
            org.assertj.core.api.Assertions.assertThat(other).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                    .containsExactly(ofOther.get(1), ofOther.get(0));
        }
    }

    /** A published release of this test's model; its id once rollout-service can roll it out. */
    private static String quietRelease(String name, int seed) {
        byte[] image = new byte[16 * 1024];
        new Random(seed).nextBytes(image);
        return api.publishRelease(name, "3.0.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact(name + "-3.0.0.swu", image))).path("id").asText();
    }

    /** A rollout of the release that waits for approval before its first wave: it sends no device anything. */
    private static String waitingRollout(String releaseId, String name) {
        ObjectNode body = UpdraftApi.object().put("releaseId", releaseId).put("name", name)
                .put("approval", "BEFORE_EACH_WAVE");
        body.putObject("target").put("model", MODEL);
        // the first try is at once: Awaitility's default first poll waits one interval, 300 ms times 103 rollouts
        return await("rollout " + name).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(300)).until(() -> api.tryCreateRollout(body), r -> r.statusCode() == 201).body()
                .transform(b -> UpdraftApi.parse(b).path("id").asText());
    }

    @Test
    void aCohortRolledBackByTelemetryShowsWithTheRuleAndTheNumbersThatTriggeredIt() throws Exception {
        // given a fleet where one model fails every install of 1.1.0
        FleetScenario scenario = new FleetScenario(stack.services.service("device-gateway").url(), "DEFAULT",
                stack.services.gatewayToken(), "conrb", List.of(new FleetScenario.HardwareMix("gw-c2", "1.0", 4),
                        new FleetScenario.HardwareMix("gw-c3", "1.0", 4)),
                List.of(new FleetScenario.FailureRule("gw-c3", "1.1.0", 1.0)), Duration.ofMillis(400),
                Duration.ofSeconds(1), "1.0.0");
        try (Fleet failing = new Fleet(scenario).start()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> api.devices("filter=" + java.net.URLEncoder.encode("fleet == \"conrb\"",
                            java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "&limit=500")
                            .path("items").size() == 8);
            byte[] image = new byte[32 * 1024];
            new Random(22).nextBytes(image);
            JsonNode release = api.publishRelease("rb-firmware", "1.1.0",
                    List.of(new UpdraftApi.Hardware("gw-c2", "1.0"), new UpdraftApi.Hardware("gw-c3", "1.0")),
                    List.of(new UpdraftApi.Artifact("rb-firmware-1.1.0.swu", image)));
            // one wave, no wave brake: telemetry's failedInstalls rule is what stops gw-c3
            ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText())
                    .put("name", "rollback rollout").put("soakTime", "PT5S").put("errorThreshold", 1.0);
            body.putObject("target").put("fleet", "conrb");
            body.putObject("rollbackPolicy").put("failureRateThreshold", 0.5).put("minSampleSize", 3);
            String rolloutId = await("rollout created").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).until(() -> api.tryCreateRollout(body),
                            r -> r.statusCode() == 201).body().transform(b -> UpdraftApi.parse(b).path("id").asText());

            try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
                Page page = page(browser);
                signIn(page, stack.token("victor", "viewer"));
                page.navigate(stack.url() + "/#/rollouts/" + rolloutId);
                // when telemetry rolls gw-c3 back, the open page shows it without a reload
                Locator rolledBack = page.locator("#rollbacks li[data-cohort='gw-c3:1.0']");
                assertThat(rolledBack.locator(".rule")).hasText("failedInstalls", SOON);
                assertThat(page.locator("#cohorts tr[data-cohort='gw-c3:1.0']")).containsText("ROLLED BACK",
                        SOON_CONTAINS);
                assertThat(page.locator("#rollbacks li[data-cohort='gw-c2:1.0']")).hasCount(0);
                // then with the numbers the rollout-service holds as telemetry's evidence
                JsonNode cohort = await().atMost(Duration.ofSeconds(30)).until(() -> {
                    for (JsonNode c : api.rollout(rolloutId).path("cohorts")) {
                        if (c.path("cohort").asText().equals("gw-c3:1.0") && c.hasNonNull("rollbackEvidence")) {
                            return c;
                        }
                    }
                    return null;
                }, c -> c != null);
                JsonNode evidence = cohort.path("rollbackEvidence");
                assertThat(rolledBack.locator(".evidence")).containsText(evidence.path("devicesCounted").asText()
                        + " of " + evidence.path("devicesJudged").asText() + " counted", SOON_CONTAINS);
                assertThat(rolledBack.locator(".evidence")).containsText(String.format(java.util.Locale.ROOT,
                        "%.2f", evidence.path("limit").asDouble()));
                assertThat(page.locator("#history tr[data-type=COHORT_ROLLED_BACK]")).containsText("gw-c3:1.0",
                        SOON_CONTAINS);
                shot(page, "rollout-rollback");
            }
        }
    }

    @Test
    void aRolloutPageOpenedAfterTheFleetInstalledShowsTheSeriesFromItsStartAndTheHealthGatesVerdict() throws Exception {
        FleetScenario scenario = new FleetScenario(stack.services.service("device-gateway").url(), "DEFAULT",
                stack.services.gatewayToken(), "conhg", List.of(new FleetScenario.HardwareMix("gw-c4", "1.0", 4)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(1), "1.0.0");
        try (Fleet gated = new Fleet(scenario).start()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> api.devices("filter=" + java.net.URLEncoder.encode("fleet == \"conhg\"",
                            java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "&limit=500")
                            .path("items").size() == 4);
            byte[] image = new byte[16 * 1024];
            new Random(23).nextBytes(image);
            JsonNode release = api.publishRelease("hg-firmware", "1.1.0", List.of(new UpdraftApi.Hardware("gw-c4",
                    "1.0")), List.of(new UpdraftApi.Artifact("hg-firmware-1.1.0.swu", image)));
            // two waves; the health gate holds each soaked wave until telemetry's next window (2 s here) judged it
            ObjectNode body = UpdraftApi.object().put("releaseId", release.path("id").asText())
                    .put("name", "gated rollout").put("soakTime", "PT3S").put("canaryPerCohort", 0);
            body.putObject("target").put("fleet", "conhg");
            body.putArray("waves").add(50).add(100);
            body.putObject("healthGate").put("maxFailureRate", 0.5).put("minReports", 1).put("requireWindow", true);
            String rolloutId = await("rollout created").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).until(() -> api.tryCreateRollout(body),
                            r -> r.statusCode() == 201).body().transform(b -> UpdraftApi.parse(b).path("id").asText());
            // the fleet installs it before anyone opens its page
            await("rollout completed").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.rollout(rolloutId).path("state").asText(), "COMPLETED"::equals);
            String viewer = stack.token("victor", "viewer");

            try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
                Page page = page(browser);
                signIn(page, viewer);
                java.time.Instant opened = java.time.Instant.now();
                page.navigate(stack.url() + "/#/rollouts/" + rolloutId);
                assertThat(page.locator("#rollout-state")).hasText("COMPLETED", SOON);
                // the chart's data is the service's series from the rollout's start: every closed bucket equal to
                // the API's, the last one (it ends now) with the same totals
                JsonNode[] progress = new JsonNode[1];
                await("the page's series equals the API's").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                            progress[0] = progressThroughConsole(rolloutId, viewer);
                            List<String> served = new java.util.ArrayList<>();
                            progress[0].path("series").path("points").forEach(p -> served.add(p.path("at").asText() + " "
                                    + p.path("dispatched").asLong() + " " + p.path("succeeded").asLong() + " "
                                    + p.path("failed").asLong()));
                            @SuppressWarnings("unchecked")
                            List<String> shown = (List<String>) page.locator("#series tr[data-at]").evaluateAll(
                                    "rows => rows.map(r => r.dataset.at + ' ' + [...r.querySelectorAll("
                                            + "'[data-series]')].map(s => s.textContent).join(' '))");
                            assertThat(shown).hasSameSizeAs(served).isNotEmpty();
                            assertThat(shown.subList(0, shown.size() - 1))
                                    .isEqualTo(served.subList(0, served.size() - 1));
                            assertThat(shown.get(shown.size() - 1).replaceFirst("^\\S+ ", ""))
                                    .isEqualTo(served.get(served.size() - 1).replaceFirst("^\\S+ ", ""));
                        });
                JsonNode points = progress[0].path("series").path("points");
                assertThat(points.size()).isBetween(3, 120);
                JsonNode last = points.get(points.size() - 1);
                assertThat(last.path("dispatched").asLong()).isEqualTo(4);
                assertThat(last.path("succeeded").asLong()).isEqualTo(4);
                assertThat(last.path("failed").asLong()).isEqualTo(0);
                // history from before the page was opened: wave 1's two installs before wave 2's
                List<JsonNode> before = new java.util.ArrayList<>();
                points.forEach(p -> {
                    if (java.time.Instant.parse(p.path("at").asText()).isBefore(opened)) {
                        before.add(p);
                    }
                });
                assertThat(before).anyMatch(p -> p.path("succeeded").asLong() == 2);
                assertThat(before).anyMatch(p -> p.path("succeeded").asLong() == 4);
                assertThat(page.locator("#chart svg")).hasAttribute("data-points", String.valueOf(points.size()));
                assertThat(page.locator("#chart svg")).hasAttribute("aria-label",
                        java.util.regex.Pattern.compile("installed 4, failed 0, dispatched 4"));

                // the health gate's verdict as the API states it, with its numbers
                JsonNode gate = progress[0].path("gate");
                assertThat(gate.path("state").asText()).isEqualTo("PASSING");
                Locator verdict = page.locator("#gate-verdict");
                assertThat(verdict).hasAttribute("data-state", gate.path("state").asText());
                assertThat(verdict).hasAttribute("data-window-end", gate.path("windowEnd").asText());
                assertThat(verdict).containsText(gate.path("detail").asText());
                assertThat(verdict).containsText("wave " + gate.path("wave").asInt());
                JsonNode cohort = gate.path("cohorts").get(0);
                Locator row = page.locator("#gate tr[data-cohort='" + cohort.path("cohort").asText() + "']");
                assertThat(row).containsText(cohort.path("succeeded").asLong() + " / " + cohort.path("failed").asLong());
                assertThat(row.locator("[data-figure=failureRate]")).hasText((cohort.path("failureRate").isNull() ? "–"
                        : String.format(java.util.Locale.ROOT, "%.1f %%", 100 * cohort.path("failureRate").asDouble()))
                        + " (max 50.0 %)");
                page.locator("#series summary").focus();
                page.keyboard().press("Enter");
                assertThat(page.locator("#series table")).isVisible(VISIBLE);
                shot(page, "rollout-gate-series");
            }
        }
    }

    private JsonNode progressThroughConsole(String rolloutId, String token) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(stack.url()
                + "/rollout/api/v1/rollouts/" + rolloutId + "/progress")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return UpdraftApi.parse(answer.body());
    }

    @Test
    void anOperatorSignsInThroughTheOidcProviderWithPkceAndTheServicesAcceptItsToken() throws Exception {
        int before = stack.idp.exchanged();
        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
            Page page = page(browser);
            page.navigate(stack.url() + "/#/rollouts");
            // the sign-in page offers the provider; the browser goes there and comes back with a code
            page.locator("#oidc-sign-in").click();
            assertThat(page.locator("#sign-out")).isVisible(VISIBLE);
            assertThat(page.locator("#subject")).hasText("oidc-olga");
            assertThat(page.locator("#roles")).hasText("viewer, operator");
            // back where the sign-in started, with the code and state gone from the address
            assertThat(page.locator("#rollout-results table")).isVisible(VISIBLE);
            org.assertj.core.api.Assertions.assertThat(page.url()).endsWith("/#/rollouts").doesNotContain("code=");
            // the provider issued the token only for the right PKCE verifier, once
            org.assertj.core.api.Assertions.assertThat(stack.idp.exchanged()).isEqualTo(before + 1);
            assertThat(page.locator("#new-rollout")).isVisible();
            shot(page, "signed-in-oidc");
        }
    }

    @Test
    void theProxyRefusesHostilePathsAndAddsNoCorsHeaders() throws Exception {
        String viewer = stack.token("victor", "viewer");
        for (String hostile : List.of("/release/api/v1/releases/..%2F..%2Finternal%2Fv1%2Fartifacts%2Fx",
                "/release/api/v1/releases/%2e%2e/%2e%2e/q/metrics", "/release/api/v1/releases/../../q/metrics",
                "/rollout/api/v1/rollouts/x%00y", "/rollout/api/v1/rollouts/x%5c..%5cq")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(stack.url() + hostile))
                    .header("Authorization", "Bearer " + viewer).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(hostile).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).as(hostile).hasValue("application/problem+json");
            assertThat(UpdraftApi.parse(answer.body()).path("status").asInt()).isEqualTo(400);
        }
        HttpResponse<String> longOne = http.send(HttpRequest.newBuilder(URI.create(stack.url()
                + "/rollout/api/v1/rollouts/" + "a".repeat(5000))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longOne.statusCode()).isEqualTo(414);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(stack.url()
                + "/release/q/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(404);

        // an API answer through the console: what the service said, and no CORS header added
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(stack.url()
                + "/rollout/api/v1/devices?model=" + MODEL + "&limit=2")).header("Authorization", "Bearer " + viewer)
                .header("Origin", "https://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(UpdraftApi.parse(list.body()).path("items").size()).isEqualTo(2);
        assertThat(list.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        // the page itself: served with a CSP that allows nothing from elsewhere
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(stack.url() + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'")
                .contains("connect-src 'self' " + URI.create(stack.idp.issuer()).resolve("/").toString()
                        .replaceAll("/$", ""));
    }

    @Test
    void aPlatformAdminPagesCreatesAndChangesTenantsWhileEveryPageNamesTheSignedInTenant() throws Exception {
        String admin = stack.services.keys().tokens().platformAdmin();
        for (String id : List.of("console-a", "console-b", "console-c")) {
            assertThat(throughConsole("POST", "/release/api/v1/tenants", admin, "{\"id\":\"" + id + "\"}")
                    .statusCode()).isEqualTo(201);
        }
        List<String> all = ids(UpdraftApi.parse(throughConsole("GET", "/release/api/v1/tenants?limit=500", admin, null)
                .body()));
        assertThat(all).contains("CONSOLE-A", "CONSOLE-B", "CONSOLE-C", "DEFAULT");

        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
            Page page = page(browser);
            signIn(page, admin);
            // a platform administrator starts on the tenants, is named as the platform, and pages by Next-Cursor
            assertThat(page.locator("#tenant")).hasText("Platform (no tenant)");
            assertThat(page.locator("#nav-tenants")).isVisible();
            assertThat(page.locator("#tenant-results table")).isVisible(VISIBLE);
            page.navigate(stack.url() + "/#/tenants?limit=2");
            assertThat(page.locator("tr[data-tenant]")).hasCount(2);
            for (int shown = 2; shown < all.size(); shown = Math.min(shown + 2, all.size())) {
                page.locator("#more-tenants").click();
                assertThat(page.locator("tr[data-tenant]")).hasCount(Math.min(shown + 2, all.size()));
            }
            assertThat(page.locator("#more-tenants")).isHidden();
            assertThat(page.locator("tr[data-tenant]").evaluateAll("rows => rows.map(r => r.dataset.tenant)"))
                    .isEqualTo(all);
            shot(page, "tenants");

            // a new tenant with two quotas, one a size with a unit; the others unlimited
            page.locator("#new-tenant-id").fill("console-new");
            page.locator("#new-tenant-name").fill("Console New Ltd.");
            page.locator("#new-tenant-maxDevices").fill("100");
            page.locator("#new-tenant-maxArtifactBytes").fill("5GB");
            page.locator("#create-tenant").click();
            assertThat(page.locator("#tenant-title")).hasText("CONSOLE-NEW", SOON);
            JsonNode created = tenant("CONSOLE-NEW", admin);
            assertThat(created.path("displayName").asText()).isEqualTo("Console New Ltd.");
            assertThat(created.path("quotas").toString()).isEqualTo("{\"maxDevices\":100,\"maxArtifactBytes\":"
                    + "5000000000,\"maxRolloutsInFlight\":null,\"maxCommandsPerSecond\":null}");
            assertThat(page.locator("#quota-maxArtifactBytes")).hasValue("5000000000");

            // edit: one quota set, one cleared (unlimited), the bytes untouched — a merge patch of what changed
            page.locator("#quota-maxRolloutsInFlight").fill("2");
            page.locator("#quota-maxDevices").fill("");
            page.locator("#save-quotas").click();
            assertThat(page.locator("#tenant-version")).hasText("2", SOON);
            assertThat(tenant("CONSOLE-NEW", admin).path("quotas").toString()).isEqualTo("{\"maxDevices\":null,"
                    + "\"maxArtifactBytes\":5000000000,\"maxRolloutsInFlight\":2,\"maxCommandsPerSecond\":null}");
            // what is no whole number is said on the page, nothing sent
            page.locator("#quota-maxCommandsPerSecond").fill("1.5");
            page.locator("#save-quotas").click();
            assertThat(page.locator("#quotas-error")).containsText("not a whole number");
            assertThat(tenant("CONSOLE-NEW", admin).path("version").asInt()).isEqualTo(2);
            shot(page, "tenant");

            // an id that exists in another case: the service's 409, on the page
            page.navigate(stack.url() + "/#/tenants");
            page.locator("#new-tenant-id").fill("Console-A");
            page.locator("#create-tenant").click();
            assertThat(page.locator("#new-tenant-error")).not().isEmpty();
            assertThat(page.locator("#new-tenant")).isVisible();

            // hostile ids reach the page as the console's or the service's 4xx, shown as an error
            java.util.Map<String, String> hostile = java.util.Map.of("a%2Fb", "encoded '/'", "a%00b", "encoded '\\x00'",
                    "x".repeat(41), "not a tenant id");
            for (var id : hostile.entrySet()) {
                page.navigate(stack.url() + "/#/tenants/" + id.getKey());
                assertThat(page.locator("main .error[role=alert]")).containsText(id.getValue(), SOON_CONTAINS);
            }
        }

        // a tenant's operator: the tenant named in the header, no Tenants page, and the registry refuses its token
        String acme = stack.services.keys().tokens().mintForTenant("acme", "anna", Duration.ofHours(1), "operator");
        String plain = stack.token("alice", "viewer", "operator", "publisher");
        try (Playwright playwright = playwright(); BrowserContext browser = browser(playwright, 1280)) {
            Page page = page(browser);
            signIn(page, acme);
            assertThat(page.locator("#tenant")).hasText("Tenant ACME");
            assertThat(page.locator("#nav-tenants")).isHidden();
            page.navigate(stack.url() + "/#/tenants");
            assertThat(page.locator("#tenant-results .error")).containsText("403", SOON_CONTAINS);
            page.locator("#sign-out").click();
            signIn(page, plain);
            assertThat(page.locator("#tenant")).hasText("Tenant DEFAULT");
            assertThat(page.locator("#nav-tenants")).isHidden();
        }
        assertThat(throughConsole("GET", "/release/api/v1/tenants", plain, null).statusCode()).isEqualTo(403);
        assertThat(throughConsole("POST", "/release/api/v1/tenants", plain, "{\"id\":\"sneaky\"}").statusCode())
                .isEqualTo(403);
        assertThat(throughConsole("PATCH", "/release/api/v1/tenants/CONSOLE-A/quotas", acme, "{\"maxDevices\":1}")
                .statusCode()).isEqualTo(403);
        assertThat(throughConsole("GET", "/release/api/v1/tenants", null, null).statusCode()).isEqualTo(401);
        assertThat(ids(UpdraftApi.parse(throughConsole("GET", "/release/api/v1/tenants?limit=500", admin, null).body())))
                .doesNotContain("SNEAKY");
        assertThat(tenant("CONSOLE-A", admin).path("version").asInt()).isEqualTo(1);
        // hostile paths under the new prefix: the console's 400 before forwarding, or the service's 400
        for (String hostile : List.of("/release/api/v1/tenants/..%2Finternal", "/release/api/v1/tenants/a%00b",
                "/release/api/v1/tenants/" + "x".repeat(41), "/release/api/v1/tenants/" + "x".repeat(41) + "/quotas")) {
            HttpResponse<String> answer = throughConsole(hostile.endsWith("quotas") ? "PATCH" : "GET", hostile, admin,
                    hostile.endsWith("quotas") ? "{\"maxDevices\":1}" : null);
            assertThat(answer.statusCode()).as(hostile).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).as(hostile).get().asString()
                    .startsWith("application/problem+json");
        }
    }

    private JsonNode tenant(String id, String token) throws Exception {
        HttpResponse<String> answer = throughConsole("GET", "/release/api/v1/tenants/" + id, token, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return UpdraftApi.parse(answer.body());
    }

    private static List<String> ids(JsonNode tenants) {
        List<String> ids = new java.util.ArrayList<>();
        tenants.forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private HttpResponse<String> throughConsole(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.url() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postThroughConsole(String path, String token) throws Exception {
        return ConsoleBrowser.post(http, stack, path, token, "{}");
    }

    private static Playwright playwright() throws java.io.IOException {
        return ConsoleBrowser.playwright();
    }

    private BrowserContext browser(Playwright playwright, int width) throws Exception {
        return ConsoleBrowser.browser(playwright, temp, width);
    }

    /** What the browser reported as errors on the pages (a script error, a CSP violation, a failed module load). */
    private final List<String> browserErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Page page(BrowserContext browser) {
        return ConsoleBrowser.page(browser, browserErrors);
    }

    @org.junit.jupiter.api.AfterEach
    void noBrowserErrors() {
        org.assertj.core.api.Assertions.assertThat(browserErrors).as("errors the browser reported").isEmpty();
    }

    private static void signIn(Page page, String token) {
        ConsoleBrowser.signIn(page, stack, token);
        shot(page, "sign-in-done");
    }

    private static void shot(Page page, String name) {
        ConsoleBrowser.shot(page, name);
    }
}
