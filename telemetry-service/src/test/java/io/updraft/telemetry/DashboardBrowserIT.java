package io.updraft.telemetry;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.updraft.telemetry.Fixtures.installed;
import static io.updraft.telemetry.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.ActionProgressed;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutGroupStarted;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in Debian's headless Chromium (driven by Playwright, which downloads no browser): the page
 * loads, then a rollout's progress and a rollback appear without a reload while the test produces the events.
 * A screenshot is left at {@code target/dashboard.png}.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final LocatorAssertions.IsVisibleOptions SOON = new LocatorAssertions.IsVisibleOptions()
            .setTimeout(60_000);
    private static final LocatorAssertions.HasTextOptions SOON_TEXT = new LocatorAssertions.HasTextOptions()
            .setTimeout(60_000);

    @TestHTTPResource("/dashboard.html")
    URL dashboard;
    @TempDir
    Path userData;

    @Test
    void given_the_dashboard_open_when_a_rollout_progresses_and_a_cohort_fails_then_both_appear_live() throws Exception {
        String rolloutId = newId("rollout");
        TestKafka.send(Fixtures.rolloutCreated(rolloutId, 0.5, 3, "gw-100:1.0", "gw-200:1.0"));
        TestKafka.send(new RolloutGroupStarted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                rolloutId, 1, 6));
        String viewer = UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer");

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                BrowserContext browser = playwright.chromium().launchPersistentContext(userData,
                        new BrowserType.LaunchPersistentContextOptions().setExecutablePath(CHROMIUM)
                                .setHeadless(true).setArgs(ARGS).setViewportSize(1280, 900))) {
            Page page = browser.pages().isEmpty() ? browser.newPage() : browser.pages().get(0);
            page.navigate(dashboard + "#token=" + viewer);

            // the page loads: the rollout is there, and the live stream is connected
            Locator card = page.locator("article[data-rollout='" + rolloutId + "']");
            assertThat(card).isVisible(SOON);
            assertThat(card.locator(".waves")).hasText("wave 1 of 1", SOON_TEXT);
            assertThat(page.locator("#live.on")).isVisible(SOON);

            // when: devices install (gw-100 fine, gw-200 failing) and the next wave starts, with the page open
            for (int i = 0; i < 3; i++) {
                String ok = newId("dev-100");
                String bad = newId("dev-200");
                TestKafka.send(progressed(ok, rolloutId, "gw-100:1.0"));
                TestKafka.send(installed(ok, rolloutId, "gw-100:1.0", Outcome.SUCCESS));
                TestKafka.send(installed(bad, rolloutId, "gw-200:1.0", Outcome.FAILURE));
            }
            TestKafka.send(progressed(newId("dev-100"), rolloutId, "gw-100:1.0"));

            // then: progress and the rollback show up without a reload
            assertThat(card.locator("[data-state='SUCCEEDED'] .count")).hasText("3", SOON_TEXT);
            assertThat(card.locator("[data-state='FAILED'] .count")).hasText("3", SOON_TEXT);
            assertThat(card.locator("[data-state='INSTALLING'] .count")).hasText("1", SOON_TEXT);
            Locator rollback = page.locator("#rollbacks li[data-rollout='" + rolloutId + "'][data-cohort='gw-200:1.0']");
            assertThat(rollback).isVisible(SOON);
            assertThat(rollback).containsText("failedInstalls: 3 of 3 installs failed (1.00 >= 0.50, sample 3)");
            assertThat(card.locator("tr[data-cohort='gw-200:1.0'] .tag")).hasText("ROLLED BACK", SOON_TEXT);
            assertThat(page.locator("#rollbacks li[data-cohort='gw-100:1.0'][data-rollout='" + rolloutId + "']"))
                    .hasCount(0);
            // its health over time: a point or a line (zero height when flat, so attached rather than visible)
            assertThat(card.locator(".chart svg [data-cohort='gw-200:1.0']"))
                    .isAttached(new LocatorAssertions.IsAttachedOptions().setTimeout(60_000));

            Path screenshot = Path.of("target", "dashboard.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        }
    }

    private static ActionProgressed progressed(String deviceId, String rolloutId, String cohort) {
        return new ActionProgressed(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, deviceId, 1L,
                rolloutId, cohort, "proceeding", List.of());
    }
}
