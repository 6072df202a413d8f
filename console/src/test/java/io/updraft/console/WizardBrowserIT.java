package io.updraft.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.CliRolloutSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new-rollout wizard in headless Chromium against the real stack: its preview shows the exclusions the API's
 * preview gives for the same spec, and the command line it shows is one the real CLI parses into the very body the
 * wizard POSTs.
 */
class WizardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run");
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final String MODEL = "gw-wz1";
    private static final String OTHER = "gw-wz2"; // the release does not accept it
    private static final LocatorAssertions.HasTextOptions SOON = new LocatorAssertions.HasTextOptions()
            .setTimeout(60_000);
    private static final LocatorAssertions.IsVisibleOptions VISIBLE = new LocatorAssertions.IsVisibleOptions()
            .setTimeout(60_000);

    private static ConsoleStack stack;
    private static Fleet fleet;
    private static UpdraftApi api;
    private final List<String> browserErrors = new CopyOnWriteArrayList<>();

    @TempDir
    Path temp;

    @BeforeAll
    static void startStackAndFleet() throws Exception {
        stack = ConsoleStack.get();
        api = UpdraftApi.of(stack.services);
        fleet = new Fleet(new FleetScenario(stack.services.service("device-gateway").url(), "DEFAULT",
                stack.services.gatewayToken(), "wizard", List.of(new FleetScenario.HardwareMix(MODEL, "1.0", 3),
                        new FleetScenario.HardwareMix(OTHER, "1.0", 2)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(1), "0.9.0")).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.devices("model=" + MODEL + "&limit=500").path("items").size() == 3
                        && api.devices("model=" + OTHER + "&limit=500").path("items").size() == 2);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theWizardShowsTheApisExclusionsAndACommandLineTheCliTurnsIntoTheSameRollout() throws Exception {
        JsonNode release = api.publishRelease("wizard-firmware", "3.1.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("wizard-firmware-3.1.0.swu", new byte[] { 1, 2, 3 })));
        String releaseId = release.path("id").asText();
        api.promoteRelease(releaseId);
        String startAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                BrowserContext browser = playwright.chromium().launchPersistentContext(
                        Files.createTempDirectory(temp, "chromium"), new BrowserType.LaunchPersistentContextOptions()
                                .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS)
                                .setViewportSize(1280, 900))) {
            Page page = browser.pages().isEmpty() ? browser.newPage() : browser.pages().get(0);
            page.onPageError(error -> browserErrors.add("page error: " + error));
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type()) && !message.text().startsWith("Failed to load resource")) {
                    browserErrors.add(message.text());
                }
            });
            page.navigate(stack.url() + "/");
            page.locator("#token").fill(stack.token("wanda", "viewer", "operator"));
            page.locator("form button[type=submit]").click();
            assertThat(page.locator("#sign-out")).isVisible(VISIBLE);

            page.navigate(stack.url() + "/#/rollouts/new?release=" + releaseId);
            page.locator("#wizard-name").fill("wizard's rollout");
            page.locator("#wizard-filter").fill("model in (\"" + MODEL + "\", \"" + OTHER + "\")");
            page.locator("#wizard-waves").fill("50,100");
            page.locator("#wizard-approval").selectOption("BEFORE_LATER_WAVES");
            page.locator("#wizard-soak").fill("PT1M");
            page.locator("#wizard-error").fill("0.25");
            page.locator("#wizard-error-action").selectOption("ABORT");
            page.locator("#wizard-error-min-sample").fill("2");
            page.locator("#wizard-wave-timeout").fill("PT2H");
            page.locator("#wizard-max-per-minute").fill("600");
            page.locator("#wizard-ramp-base").fill("50");
            page.locator("#wizard-ramp-factor").fill("2.5");
            page.locator("#wizard-ramp-criterion").selectOption("succeeded");
            page.locator("#wizard-ramp-count").fill("20");
            page.locator("#wizard-gate-failure").fill("0.05");
            page.locator("#wizard-gate-min-reports").fill("20");
            page.locator("#wizard-gate-require-window").check();
            page.locator("#wizard-start-at").fill(startAt);
            page.locator("#wizard-window-schedule").fill("0 0 2 ? * *");
            page.locator("#wizard-window-duration").fill("PT2H");
            page.locator("#wizard-window-zone").fill("Europe/Berlin");
            page.locator("#wizard-action-deadline").fill("PT48H");
            page.locator("#wizard-retries").fill("2");
            page.locator("#wizard-rollback-rate").fill("0.4");
            page.locator("#wizard-rollback-rules").fill("unhealthyDevices:rate=0.3,crashes=3,crashWindow=PT10M\n"
                    + "bootFailures:off");

            // the exclusions the page shows are the API's for the spec of the command line it shows, once the
            // preview on the page answers the line as it stands after the last field
            assertThat(page.locator("#cli")).containsText("--rollback-rule 'bootFailures:off'");
            String commandLine = page.locator("#cli").textContent();
            assertThat(page.locator("#preview")).hasAttribute("data-command-line", commandLine,
                    new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
            assertThat(page.locator("#exclusions tr[data-reason=INCOMPATIBLE] [data-count]")).hasText("2");
            JsonNode cliBody = CliRolloutSpec.createBody(commandLine, api);
            assertThat(cliBody.path("releaseId").asText()).isEqualTo(releaseId);
            JsonNode expected = UpdraftApi.parse(await("the API's preview").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> api.tryPreviewRollout(cliBody),
                            r -> r.statusCode() == 200).body());
            assertThat(expected.path("matching").asInt()).isEqualTo(3);
            assertThat(expected.path("excluded")).isNotEmpty();
            assertThat(page.locator("#preview-matching b")).hasText(expected.path("matching").asText(), SOON);
            assertThat(page.locator("#exclusions tbody tr[data-reason]")).hasCount(expected.path("excluded").size());
            for (JsonNode exclusion : expected.path("excluded")) {
                String row = "#exclusions tr[data-reason=" + exclusion.path("reason").asText() + "]";
                assertThat(page.locator(row + " [data-count]")).hasText(exclusion.path("devices").asText());
                for (JsonNode id : exclusion.path("sample")) {
                    assertThat(page.locator(row + " .sample")).containsText(id.asText());
                }
            }
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("rollout-wizard-full.png"))
                    .setFullPage(true));

            // what the wizard creates is what the CLI would create from the line it shows
            Request create = page.waitForRequest(r -> r.method().equals("POST")
                    && r.url().endsWith("/rollout/api/v1/rollouts"), () -> page.locator("#create-rollout").click());
            JsonNode sent = UpdraftApi.parse(create.postData());
            assertThat(normalized(sent)).isEqualTo(normalized(cliBody));
            assertThat(sent.path("healthGate").path("requireWindow").asBoolean()).isTrue();
            assertThat(sent.path("rollbackPolicy").path("bootFailures").path("off").asBoolean()).isTrue();
            assertThat(sent.path("rolloutRate").path("exponentialRate").path("rateIncreaseCriteria")
                    .path("numberOfSucceededThings").asInt()).isEqualTo(20);
            assertThat(page.locator("#rollout-title")).hasText("wizard's rollout", SOON);
            String rolloutId = page.url().substring(page.url().lastIndexOf('/') + 1);
            JsonNode rollout = api.rollout(rolloutId);
            assertThat(rollout.path("state").asText()).isEqualTo("SCHEDULED");
            assertThat(rollout.path("maintenanceWindow").path("timezone").asText()).isEqualTo("Europe/Berlin");
            assertThat(rollout.path("retries").asInt()).isEqualTo(2);
            api.abortRollout(rolloutId, "wizard test done");
        }
        assertThat(browserErrors).as("errors the browser reported").isEmpty();
    }

    /** JSON with every number as its plain decimal text, so 1 and 1.0 compare equal (JavaScript has one number). */
    private static String normalized(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (node.isObject()) {
            StringBuilder out = new StringBuilder("{");
            List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(name -> out.append(name).append('=').append(normalized(node.get(name)))
                    .append(';'));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            node.forEach(element -> out.append(normalized(element)).append(';'));
            return out.append(']').toString();
        }
        return node.toString();
    }
}
