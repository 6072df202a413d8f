package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.devstack.DevKeys;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import io.updraft.launcher.Updraft;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, one origin locally: what {@code ./updraft up} starts ({@link Updraft#startUp}, the same code, on free
 * ports and tied to this JVM) puts the operator console in front of the four services, and a browser needs only the
 * console's address — the page and every management API answer there, the services still decide who may write —
 * and {@code ./updraft status} prints that address. Its own stack, stopped after the class.
 */
class ConsoleUnderUpIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static Path home;
    private static LocalStack stack;
    private static String origin;

    @BeforeAll
    static void up() throws Exception {
        root = Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
        home = root.resolve("end-to-end-tests/target/console-up-" + ProcessHandle.current().pid());
        stack = Updraft.startUp(home, root, true, false);
        ServiceProcess console = stack.console().orElseThrow(() -> new AssertionError("up started no console"));
        origin = "http://localhost:" + console.port();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void the_console_page_is_served_at_the_root_of_its_origin() throws Exception {
        HttpResponse<String> page = get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("<title>Updraft console</title>").contains("js/app.js");
    }

    @Test
    void the_management_api_answers_through_the_console_origin_with_the_launchers_token() throws Exception {
        String token = launcherToken();

        HttpResponse<String> proxied = get("/rollout/api/v1/rollouts", token);
        HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(
                URI.create(stack.service("rollout-service").url() + "/api/v1/rollouts"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
        assertThat(JSON.readTree(proxied.body())).isEqualTo(JSON.readTree(direct.body()));
        // the service, not the console, checks the token
        assertThat(get("/rollout/api/v1/rollouts", null).statusCode()).isEqualTo(401);
        // one origin: nothing for a foreign page to read
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/rollout/api/v1/rollouts"))
                .header("Authorization", "Bearer " + token).header("Origin", "http://elsewhere.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void a_write_with_a_viewer_token_through_the_console_is_refused_and_changes_nothing() throws Exception {
        String viewer = stack.keys().tokens().mint("vera-viewer", Duration.ofMinutes(10), "viewer");
        JsonNode before = JSON.readTree(get("/rollout/api/v1/rollouts", viewer).body());

        HttpResponse<String> create = send("POST", "/rollout/api/v1/rollouts", viewer,
                "{\"name\":\"sneaky\",\"release\":\"gw-firmware@1.0.0\",\"filter\":\"true\",\"waves\":[100]}");
        HttpResponse<String> upload = send("POST", "/release/api/v1/uploads", viewer,
                "{\"fileName\":\"gw.swu\",\"size\":1,\"sha256\":\"" + "0".repeat(64) + "\"}");

        assertThat(create.statusCode()).as(create.body()).isEqualTo(403);
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(403);
        assertThat(JSON.readTree(get("/rollout/api/v1/rollouts", viewer).body())).isEqualTo(before);
    }

    @Test
    void status_prints_the_console_address() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = Updraft.status(root, home, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("console: " + origin + "/ — sign in with a token from ./updraft token");
    }

    /** What {@code ./updraft token} prints: an admin token minted from the stack's key under its home. */
    private static String launcherToken() {
        return DevKeys.in(home.resolve("keys")).tokens().admin();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
