package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpdraftApi#oneShot} (HttpURLConnection, what the CLI uses) against the default instance (the JDK HttpClient),
 * side by side on one recording server: the same requests go out (method, path and query, token, Accept,
 * Content-Type, body, Content-Length of a POST without body) and the same answers come back — documents, the
 * Next-Cursor header, a 201 from a create, a problem detail as an ApiException with its status, a refused connection
 * as a transient status-0 failure.
 */
class OneShotHttpTest {
    private record Seen(String method, String uri, String authorization, String accept, String contentType,
            String contentLength, String body) {
    }

    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;
    private Function<String, Answer> answers;

    private record Answer(int status, String body, Map<String, String> headers) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    headers.getFirst("Authorization"), headers.getFirst("Accept"), headers.getFirst("Content-Type"),
                    headers.getFirst("Content-Length"), new String(body, StandardCharsets.UTF_8)));
            Answer answer = answers.apply(exchange.getRequestURI().getPath());
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private List<UpdraftApi> both() {
        return List.of(new UpdraftApi(url(), url(), url(), "tok.en.x"),
                UpdraftApi.oneShot(url(), url(), url(), "tok.en.x"));
    }

    @Test
    void givenAListWithANextPage_whenEitherTransportReadsIt_thenRequestAndPageAreTheSame() {
        answers = path -> new Answer(200, "[{\"id\":\"r-1\",\"name\":\"fw\",\"note\":\"größe\"}]",
                Map.of("Content-Type", "application/json", "Next-Cursor", "c-2"));
        List<UpdraftApi.Page> pages = new ArrayList<>();
        for (UpdraftApi api : both()) {
            pages.add(api.releasesPage("limit=2&name=fw"));
        }

        assertThat(pages.get(1).items()).isEqualTo(pages.get(0).items());
        assertThat(pages.get(1).items().get(0).path("note").asText()).isEqualTo("größe");
        assertThat(pages.get(1).nextCursor()).isEqualTo("c-2").isEqualTo(pages.get(0).nextCursor());
        assertThat(seen).hasSize(2);
        // the JDK client sends "Content-Length: 0" with a GET; HttpURLConnection sends none (a GET has no body)
        assertThat(seen.get(1)).usingRecursiveComparison().ignoringFields("contentLength").isEqualTo(seen.get(0));
        assertThat(seen.get(1).contentLength()).isNull();
        assertThat(seen.get(1).method()).isEqualTo("GET");
        assertThat(seen.get(1).uri()).isEqualTo("/api/v1/releases?limit=2&name=fw");
        assertThat(seen.get(1).authorization()).isEqualTo("Bearer tok.en.x");
        assertThat(seen.get(1).accept()).isEqualTo("application/json");
    }

    @Test
    void givenPostsWithAndWithoutBody_whenEitherTransportSendsThem_thenTheServerSeesTheSameRequests() {
        answers = path -> path.endsWith("/rollouts") ? new Answer(201, "{\"id\":\"ro-1\"}", Map.of())
                : new Answer(200, "{\"id\":\"r 1\",\"state\":\"STABLE\"}", Map.of());
        List<JsonNode> created = new ArrayList<>();
        for (UpdraftApi api : both()) {
            created.add(api.createRollout(UpdraftApi.object().put("name", "n").put("releaseId", "r-1")));
            api.promoteRelease("r 1"); // POST without a body
            api.pauseRollout("ro-1", "because"); // POST with a JSON body
        }

        assertThat(created.get(1)).isEqualTo(created.get(0));
        assertThat(seen).hasSize(6);
        assertThat(seen.subList(3, 6)).containsExactlyElementsOf(seen.subList(0, 3));
        assertThat(seen.get(3).body()).isEqualTo("{\"name\":\"n\",\"releaseId\":\"r-1\"}");
        assertThat(seen.get(3).contentType()).isEqualTo("application/json");
        assertThat(seen.get(4).uri()).isEqualTo("/api/v1/releases/r%201/promote");
        assertThat(seen.get(4).contentLength()).isEqualTo("0");
        assertThat(seen.get(5).body()).isEqualTo("{\"reason\":\"because\"}");
    }

    @Test
    void givenAProblemAnswer_whenEitherTransportGetsIt_thenTheSameApiExceptionComesOut() {
        answers = path -> new Answer(422, "{\"status\":422,\"detail\":\"no such release\",\"errors\":[{\"field\":"
                + "\"releaseId\",\"message\":\"unknown\"}]}", Map.of("Content-Type", "application/problem+json"));
        List<String> messages = new ArrayList<>();
        for (UpdraftApi api : both()) {
            assertThatThrownBy(() -> api.createRollout(UpdraftApi.object().put("name", "n")))
                    .isInstanceOfSatisfying(UpdraftApi.ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.isTransient()).isFalse();
                        messages.add(e.getMessage());
                    });
            assertThat(api.tryCreateRollout(UpdraftApi.object()).statusCode()).isEqualTo(422);
        }
        assertThat(messages.get(1)).isEqualTo(messages.get(0))
                .isEqualTo("POST /api/v1/rollouts answered 422: no such release; releaseId: unknown");
    }

    @Test
    void givenNothingListening_whenEitherTransportCalls_thenATransientRefusalComesOut() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + port;
        for (UpdraftApi api : List.of(new UpdraftApi(nowhere, nowhere, nowhere, "t"),
                UpdraftApi.oneShot(nowhere, nowhere, nowhere, "t"))) {
            assertThatThrownBy(() -> api.rollout("ro-1")).isInstanceOfSatisfying(UpdraftApi.ApiException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.isTransient()).isTrue();
                assertThat(e.symptom()).isEqualTo("unreachable (Connection refused)");
                assertThat(e.getMessage()).isEqualTo("GET " + nowhere + "/api/v1/rollouts/ro-1 failed: Connection refused");
            });
        }
    }
}
