package io.updraft.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the console's browser tests share: Debian's Chromium driven headless through Playwright (never a downloaded
 * browser), pages that collect what the browser reports as an error (a script error, a CSP violation, a failed module
 * load — a 4xx a test provokes on purpose is logged as "Failed to load resource" and does not count), sign-in with a
 * token, screenshots kept as build output, and writes sent through the console's origin as a page would send them.
 */
final class ConsoleBrowser {
    static final Path SHOTS = Path.of("target", "screenshots");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final LocatorAssertions.IsVisibleOptions SIGNED_IN = new LocatorAssertions.IsVisibleOptions()
            .setTimeout(120_000);

    private ConsoleBrowser() {
    }

    static Playwright playwright() throws IOException {
        Files.createDirectories(SHOTS);
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** A fresh browser profile under {@code temp}, {@code width} × 900 CSS pixels. */
    static BrowserContext browser(Playwright playwright, Path temp, int width) throws IOException {
        Path userData = Files.createTempDirectory(temp, "chromium");
        return playwright.chromium().launchPersistentContext(userData, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS).setViewportSize(width, 900));
    }

    /** The browser's page, confirm() dialogs accepted, its errors added to {@code errors}. */
    static Page page(BrowserContext browser, List<String> errors) {
        Page page = browser.pages().isEmpty() ? browser.newPage() : browser.pages().get(0);
        page.onDialog(dialog -> dialog.accept());
        page.onPageError(error -> errors.add("page error: " + error));
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type()) && !message.text().startsWith("Failed to load resource")) {
                errors.add(message.text());
            }
        });
        return page;
    }

    /** Signs in on the console's start page with a pasted bearer token, until the page offers "Sign out". */
    static void signIn(Page page, ConsoleStack stack, String token) {
        page.navigate(stack.url() + "/");
        page.locator("#token").fill(token);
        page.locator("form button[type=submit]").click();
        assertThat(page.locator("#sign-out")).isVisible(SIGNED_IN);
    }

    static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** A JSON POST through the console's origin, as the pages send it; no Authorization header if token is null. */
    static HttpResponse<String> post(HttpClient http, ConsoleStack stack, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.url() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
