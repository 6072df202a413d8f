package io.updraft.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.CliRolloutSpec;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new-rollout wizard in headless Chromium against the real stack: its preview shows the exclusions the API's
 * preview gives for the same spec, the waves as the service resolves them (percentage waves and explicit groups with
 * their own options), the command line it shows is one the real CLI parses into the very body the wizard POSTs, and
 * what neither the service nor the CLI can take is said, not guessed.
 */
class WizardBrowserIT {
    private static final Path SHOTS = ConsoleBrowser.SHOTS;
    private static final String MODEL = "gw-wz1";
    private static final String OTHER = "gw-wz2"; // the release does not accept it
    private static final LocatorAssertions.HasTextOptions SOON = new LocatorAssertions.HasTextOptions()
            .setTimeout(60_000);
    private static final LocatorAssertions.ContainsTextOptions CONTAINS = new LocatorAssertions.ContainsTextOptions()
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

        try (Playwright playwright = ConsoleBrowser.playwright();
                BrowserContext browser = ConsoleBrowser.browser(playwright, temp, 1280)) {
            Page page = ConsoleBrowser.page(browser, browserErrors);
            ConsoleBrowser.signIn(page, stack, stack.token("wanda", "viewer", "operator"));

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
            page.locator("#wizard-window-schedule").fill("0 0 2 ? * MON,WED"); // its commas survive the CLI
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
            assertWavesShown(page, expected.path("waves"));
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
            assertThat(rollout.path("maintenanceWindow").path("schedule").asText()).isEqualTo("0 0 2 ? * MON,WED");
            assertThat(rollout.path("retries").asInt()).isEqualTo(2);
            api.abortRollout(rolloutId, "wizard test done");
        }
        assertThat(browserErrors).as("errors the browser reported").isEmpty();
    }

    @Test
    void explicitGroupsWithTheirOwnOptionsAreEnteredByKeyboardPreviewedAsTheApiPlansThemAndCreated() throws Exception {
        JsonNode release = api.publishRelease("wizard-groups", "3.2.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("wizard-groups-3.2.0.swu", new byte[] { 4, 5, 6 })));
        String releaseId = release.path("id").asText();
        String startAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        withWizard(releaseId, page -> {
            page.locator("#wizard-name").fill("wizard's groups");
            page.locator("#wizard-filter").fill("model in (\"" + MODEL + "\", \"" + OTHER + "\")");
            page.locator("#wizard-canary").fill("0");
            page.locator("#wizard-start-at").fill(startAt);
            page.getByLabel("Waves as").selectOption("groups");

            // row 1 (seeded), then a second row by keyboard: Enter on "Add wave" puts the focus in its name
            label(page, "Wave 1 name").fill("rest");
            label(page, "Wave 1 waits for approval").focus();
            page.keyboard().press("Space");
            label(page, "Wave 1 error >").fill("0.3");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add wave")).focus();
            page.keyboard().press("Enter");
            page.keyboard().type("canary");
            assertThat(label(page, "Wave 2 name")).hasValue("canary");
            label(page, "Wave 2 filter").fill("model == \"" + MODEL + "\"");
            label(page, "Wave 2 share %").fill("34");
            label(page, "Wave 2 success ≥").fill("0.9");
            label(page, "Wave 2 error >").fill("0.1");
            label(page, "Wave 2 on error").selectOption("ABORT");

            // reorder by keyboard: the canary goes first, the focus stays on the moved row
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Move wave 2 up").setExact(true))
                    .focus();
            page.keyboard().press("Enter");
            assertThat(label(page, "Wave 1 name")).hasValue("canary");
            assertThat(label(page, "Wave 1 share %")).hasValue("34");
            assertThat(label(page, "Wave 1 on error")).hasValue("ABORT");
            assertThat(label(page, "Wave 2 name")).hasValue("rest");
            assertThat(label(page, "Wave 2 waits for approval")).isChecked();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Move wave 1 down")
                    .setExact(true))).isFocused();
            // a third row added and removed again by keyboard
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add wave")).focus();
            page.keyboard().press("Enter");
            page.keyboard().type("junk");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove wave 3").setExact(true))
                    .focus();
            page.keyboard().press("Enter");
            assertThat(page.locator("#wizard-wave-rows li")).hasCount(2);
            // what a wave leaves out shows the rollout's value, itself the service's documented default
            assertThat(label(page, "Wave 2 success ≥")).hasAttribute("placeholder", "default 1.0");

            // the line once it shows the last change (debounced): both groups in their new order, options and all
            assertThat(page.locator("#cli")).containsText(inOrder("--group 'canary:model == \"" + MODEL
                    + "\":34%:success=0.9:error=0.1:action=abort'", "--group 'rest:approval:error=0.3'"), CONTAINS);
            String commandLine = page.locator("#cli").textContent();
            assertThat(commandLine).doesNotContain("junk");
            JsonNode plannedWaves = previewCreateAndCompareWaves(page, commandLine, "wizard's groups");
            assertThat(plannedWaves).hasSize(2);
            assertThat(plannedWaves.get(0).path("name").asText()).isEqualTo("canary");
            assertThat(plannedWaves.get(0).path("filter").asText()).isEqualTo("model == \"" + MODEL + "\"");
            assertThat(plannedWaves.get(0).path("devices").asInt()).isEqualTo(2); // ceil(34 % of 3)
            assertThat(plannedWaves.get(0).path("successThreshold").asDouble()).isEqualTo(0.9);
            assertThat(plannedWaves.get(0).path("errorAction").asText()).isEqualTo("ABORT");
            assertThat(plannedWaves.get(1).path("name").asText()).isEqualTo("rest");
            assertThat(plannedWaves.get(1).path("devices").asInt()).isEqualTo(1);
            assertThat(plannedWaves.get(1).path("approval").asBoolean()).isTrue();
            assertThat(plannedWaves.get(1).path("successThreshold").asDouble()).isEqualTo(1.0); // the default
            assertThat(plannedWaves.get(1).path("errorThreshold").asDouble()).isEqualTo(0.3);
        });
    }

    @Test
    void percentageWavesWithTheirOwnOptionsGoThroughTheCliAsWaveOptions() throws Exception {
        JsonNode release = api.publishRelease("wizard-waves", "3.4.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("wizard-waves-3.4.0.swu", new byte[] { 8, 9 })));
        String releaseId = release.path("id").asText();
        String startAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        withWizard(releaseId, page -> {
            page.locator("#wizard-name").fill("wizard's waves");
            page.locator("#wizard-filter").fill("model == \"" + MODEL + "\"");
            page.locator("#wizard-canary").fill("1");
            page.locator("#wizard-error").fill("0.4"); // the rollout's, for waves that leave theirs out
            page.locator("#wizard-start-at").fill(startAt);
            page.locator("#wizard-waves").fill("30,100");
            // the table starts from the percentages typed so far
            page.getByLabel("Waves as").selectOption("waves");
            assertThat(label(page, "Wave 1 cumulative %")).hasValue("30");
            assertThat(label(page, "Wave 2 cumulative %")).hasValue("100");
            assertThat(label(page, "Wave 1 error >")).hasAttribute("placeholder", "rollout's 0.4");
            label(page, "Wave 1 success ≥").fill("0.5");
            label(page, "Wave 1 error >").fill("0");
            label(page, "Wave 1 on error").selectOption("ABORT");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add wave")).focus();
            page.keyboard().press("Enter");
            page.keyboard().type("60");
            label(page, "Wave 3 waits for approval").check();
            // 30, 100, 60 → 30, 60, 100: the new wave moves up by keyboard
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Move wave 3 up").setExact(true))
                    .focus();
            page.keyboard().press("Enter");
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Move wave 2 up")
                    .setExact(true))).isFocused();
            assertThat(label(page, "Wave 2 cumulative %")).hasValue("60");
            assertThat(label(page, "Wave 2 waits for approval")).isChecked();

            assertThat(page.locator("#cli")).containsText(inOrder("--wave '30:success=0.5:error=0:action=abort'",
                    "--wave '60:approval'", "--wave '100'"), CONTAINS);
            String commandLine = page.locator("#cli").textContent();
            assertThat(commandLine).doesNotContain("--waves");
            JsonNode plannedWaves = previewCreateAndCompareWaves(page, commandLine, "wizard's waves");
            assertThat(plannedWaves).hasSize(3);
            assertThat(plannedWaves.get(0).path("errorThreshold").asDouble()).isEqualTo(0.0);
            assertThat(plannedWaves.get(0).path("errorAction").asText()).isEqualTo("ABORT");
            assertThat(plannedWaves.get(1).path("approval").asBoolean()).isTrue();
            assertThat(plannedWaves.get(1).path("errorThreshold").asDouble()).isEqualTo(0.4); // the rollout's
            assertThat(plannedWaves.get(2).path("percent").asInt()).isEqualTo(100);
        });
    }

    @Test
    void deviceConsentGoesThroughTheCliAsTheSameBodyAndTheRolloutPageSaysTheRolloutAsksFirst() throws Exception {
        JsonNode release = api.publishRelease("wizard-consent", "3.5.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("wizard-consent-3.5.0.swu", new byte[] { 2, 3 })));
        String releaseId = release.path("id").asText();
        String startAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        withWizard(releaseId, page -> {
            page.locator("#wizard-name").fill("wizard's consent");
            page.locator("#wizard-filter").fill("model == \"" + MODEL + "\"");
            page.locator("#wizard-start-at").fill(startAt); // SCHEDULED: no device is asked by this test
            // the deadline belongs to the confirmation: enabled only with it
            assertThat(label(page, "Confirmation deadline")).isDisabled();
            label(page, "Require the device's confirmation").check();
            assertThat(label(page, "Confirmation deadline")).isEnabled();
            // a deadline the CLI would refuse is said, not printed
            label(page, "Confirmation deadline").fill("72h");
            assertThat(page.locator("#cli-note")).containsText("not a positive ISO-8601 duration", CONTAINS);
            assertThat(page.locator("#cli")).isHidden();
            label(page, "Confirmation deadline").fill("PT72H");

            String commandLine = awaitCommandLine(page, "--confirmation-deadline 'PT72H'");
            assertThat(commandLine).contains("--confirmation-required");
            JsonNode cliBody = CliRolloutSpec.createBody(commandLine, api);
            assertThat(cliBody.path("confirmationRequired").asBoolean()).isTrue();
            assertThat(cliBody.path("confirmationDeadline").asText()).isEqualTo("PT72H");
            // the wizard POSTs what the CLI makes of the line; the rollout page says the rollout asks first
            previewCreateAndCompareWaves(page, commandLine, "wizard's consent");
            String rolloutId = page.url().substring(page.url().lastIndexOf('/') + 1);
            JsonNode rollout = api.rollout(rolloutId);
            assertThat(rollout.path("confirmationRequired").asBoolean()).isTrue();
            assertThat(rollout.path("confirmationDeadline").asText()).isEqualTo("PT72H");
            assertThat(page.locator("#confirmation")).hasText("Confirmation required (deadline PT72H)", SOON);
            assertThat(page.locator("#waves tr[data-wave='1'] [data-count=denied]")).hasText("0", SOON);
        });
        // unchecked again, neither field goes anywhere (the deadline typed is kept, disabled)
        withWizard(releaseId, page -> {
            page.locator("#wizard-filter").fill("model == \"" + MODEL + "\"");
            label(page, "Require the device's confirmation").check();
            label(page, "Confirmation deadline").fill("PT1H");
            awaitCommandLine(page, "--confirmation-deadline 'PT1H'");
            label(page, "Require the device's confirmation").uncheck();
            assertThat(label(page, "Confirmation deadline")).isDisabled();
            assertThat(page.locator("#cli")).not().containsText("--confirmation", CONTAINS);
            assertThat(CliRolloutSpec.createBody(page.locator("#cli").textContent(), api).has("confirmationRequired"))
                    .isFalse();
        });
    }

    /**
     * Once the preview on the page answers {@code commandLine}: its waves equal the API's preview of the body the real
     * CLI makes of that line; the wizard POSTs that very body; the rollout created has the waves previewed.
     *
     * @return the API's planned waves
     */
    private static JsonNode previewCreateAndCompareWaves(Page page, String commandLine, String name) {
        assertThat(page.locator("#preview")).hasAttribute("data-command-line", commandLine,
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        JsonNode cliBody = CliRolloutSpec.createBody(commandLine, api);
        JsonNode expected = UpdraftApi.parse(await("the API's preview").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> api.tryPreviewRollout(cliBody),
                        r -> r.statusCode() == 200).body());
        JsonNode plannedWaves = expected.path("waves");
        assertThat(page.locator("#preview-matching b")).hasText(expected.path("matching").asText(), SOON);
        assertWavesShown(page, plannedWaves);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("rollout-wizard-"
                + name.substring(name.lastIndexOf(' ') + 1) + ".png")).setFullPage(true));

        Request create = page.waitForRequest(r -> r.method().equals("POST")
                && r.url().endsWith("/rollout/api/v1/rollouts"), () -> page.locator("#create-rollout").click());
        JsonNode sent = UpdraftApi.parse(create.postData());
        assertThat(normalized(sent)).isEqualTo(normalized(cliBody));
        assertThat(page.locator("#rollout-title")).hasText(name, SOON);
        String rolloutId = page.url().substring(page.url().lastIndexOf('/') + 1);
        JsonNode rollout = api.rollout(rolloutId);
        assertThat(rollout.path("state").asText()).isEqualTo("SCHEDULED");
        assertThat(rollout.path("waves")).hasSize(plannedWaves.size());
        for (int i = 0; i < plannedWaves.size(); i++) {
            for (String field : List.of("wave", "name", "filter", "percent", "devices", "approval",
                    "successThreshold", "errorThreshold", "errorAction")) {
                assertThat(normalized(rollout.path("waves").get(i).path(field))).as("wave %d %s", i + 1, field)
                        .isEqualTo(normalized(plannedWaves.get(i).path(field)));
            }
        }
        api.abortRollout(rolloutId, "wizard test done");
        return plannedWaves;
    }

    @Test
    void whatTheServiceOrTheCliCannotTakeIsSaidNotGuessed() throws Exception {
        JsonNode release = api.publishRelease("wizard-nomatch", "3.3.0", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                List.of(new UpdraftApi.Artifact("wizard-nomatch-3.3.0.swu", new byte[] { 7 })));
        String releaseId = release.path("id").asText();
        withWizard(releaseId, page -> {
            // the release must be known to the rollout-service first, or its 422 is "unknown release"
            page.locator("#wizard-filter").fill("model == \"" + MODEL + "\"");
            assertThat(page.locator("#preview-matching b")).hasText("3", SOON);
            page.locator("#wizard-filter").fill("model == \"gw-none\"");
            String commandLine = awaitCommandLine(page, "--filter 'model == \"gw-none\"'");
            java.net.http.HttpResponse<String> answer = api.tryPreviewRollout(CliRolloutSpec.createBody(commandLine,
                    api));
            assertThat(answer.statusCode()).isEqualTo(422);
            String detail = UpdraftApi.parse(answer.body()).path("detail").asText();
            assertThat(detail).startsWith("no device matches");
            assertThat(page.locator("#preview-error")).containsText(detail, CONTAINS);
            assertThat(page.locator("#preview-error")).hasAttribute("data-status", "422");
            assertThat(page.locator("#preview-error-hint")).isVisible();
            assertThat(page.locator("#preview-waves")).hasCount(0);

            // a cron with commas: the CLI reads CRON,DURATION[,ZONE] from the right, so the line carries it whole
            String comma = "0 0 2 ? * MON,WED";
            page.locator("#wizard-window-schedule").fill(comma);
            page.locator("#wizard-window-duration").fill("PT2H");
            page.locator("#wizard-window-zone").fill("Europe/Berlin");
            String windowLine = awaitCommandLine(page, "--maintenance-window '" + comma + ",PT2H,Europe/Berlin'");
            assertThat(CliRolloutSpec.createBody(windowLine, api).path("maintenanceWindow").toString())
                    .isEqualTo("{\"schedule\":\"" + comma + "\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Berlin\"}");
            assertThat(page.locator("#cli-note")).isHidden();
            // without a duration after it the CLI would cut the cron at its first comma: said, no line shown
            page.locator("#wizard-window-duration").fill("");
            assertThat(page.locator("#cli-note")).containsText("maintenance window cannot be written", CONTAINS);
            assertThat(page.locator("#cli")).isHidden();
            assertThat(page.locator("#cli")).hasText("");
            page.locator("#wizard-window-schedule").fill("");
            assertThat(page.locator("#cli-note")).isHidden();
            assertThat(page.locator("#cli")).isVisible();

            // a group name with ':' cannot be a --group NAME (it ends at the first ':')
            page.getByLabel("Waves as").selectOption("groups");
            label(page, "Wave 1 name").fill("eu:north");
            assertThat(page.locator("#cli-note")).containsText("Wave 1 (group \"eu:north\")", CONTAINS);
            assertThat(page.locator("#cli")).isHidden();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("rollout-wizard-no-match.png"))
                    .setFullPage(true));
        });
    }

    /** The options one after the other on the shown line (only blanks and line continuations between them). */
    private static Pattern inOrder(String... options) {
        return Pattern.compile(java.util.Arrays.stream(options)
                .map(option -> option.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0"))
                .collect(java.util.stream.Collectors.joining("[\\s\\\\]+")));
    }

    private static String awaitCommandLine(Page page, String containing) {
        assertThat(page.locator("#cli")).containsText(containing, CONTAINS);
        String commandLine = page.locator("#cli").textContent();
        assertThat(page.locator("#preview")).hasAttribute("data-command-line", commandLine,
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        return commandLine;
    }

    private static com.microsoft.playwright.Locator label(Page page, String text) {
        return page.getByLabel(text, new Page.GetByLabelOptions().setExact(true));
    }

    /** Each wave the API planned is a row of the page's wave table with the same values (numbers by value). */
    private static void assertWavesShown(Page page, JsonNode waves) {
        assertThat(waves).isNotEmpty();
        assertThat(page.locator("#preview-waves tbody tr[data-wave]")).hasCount(waves.size());
        for (JsonNode wave : waves) {
            String row = "#preview-waves tr[data-wave=\"" + wave.path("wave").asInt() + "\"] ";
            for (String field : List.of("wave", "percent", "devices", "successThreshold", "errorThreshold")) {
                assertThat(new BigDecimal(page.locator(row + "[data-field=" + field + "]").textContent())
                        .stripTrailingZeros()).as("wave %s %s", wave.path("wave"), field)
                        .isEqualTo(wave.path(field).decimalValue().stripTrailingZeros());
            }
            for (String field : List.of("name", "filter", "errorAction")) {
                if (wave.path(field).isNull() || wave.path(field).isMissingNode()) {
                    assertThat(page.locator(row + "[data-field=" + field + "]")).hasCount(0);
                } else {
                    assertThat(page.locator(row + "[data-field=" + field + "]")).hasText(wave.path(field).asText());
                }
            }
            assertThat(page.locator(row + "[data-field=approval]"))
                    .hasText(wave.path("approval").asBoolean() ? "yes" : "no");
        }
    }

    private interface PageSteps {
        void run(Page page) throws Exception;
    }

    /** Signs an operator in, opens the wizard for the release and runs the steps; no script error allowed after. */
    private void withWizard(String releaseId, PageSteps steps) throws Exception {
        try (Playwright playwright = ConsoleBrowser.playwright();
                BrowserContext browser = ConsoleBrowser.browser(playwright, temp, 1280)) {
            Page page = ConsoleBrowser.page(browser, browserErrors);
            ConsoleBrowser.signIn(page, stack, stack.token("wanda", "viewer", "operator"));
            page.navigate(stack.url() + "/#/rollouts/new?release=" + releaseId);
            assertThat(page.locator("#wizard-release")).hasValue(releaseId);
            steps.run(page);
        }
        assertThat(browserErrors).as("errors the browser reported").isEmpty();
    }

    /** JSON with every number as its plain decimal text, so 1 and 1.0 compare equal (JavaScript has one number). */
    private static String normalized(JsonNode node) {
        if (node.isMissingNode()) {
            return "null";
        }
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
