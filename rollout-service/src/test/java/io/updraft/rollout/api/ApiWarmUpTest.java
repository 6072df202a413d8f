package io.updraft.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rehearsal's request over loopback: a POST with a forged token, and no failure when nothing answers. */
class ApiWarmUpTest {

    @Test
    void it_posts_the_rollout_body_with_a_token_signed_by_no_key_and_returns_the_answer_s_status() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            byte[] problem = "{\"status\":401}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, problem.length);
            exchange.getResponseBody().write(problem);
            exchange.close();
        });
        server.start();
        try {
            assertThat(ApiWarmUp.postRefused(server.getAddress().getPort(), "{\"name\":\"warm-up\"}")).isEqualTo(401);
        } finally {
            server.stop(0);
        }
        assertThat(seen.get()).startsWith("POST /api/v1/rollouts Bearer ").endsWith(" {\"name\":\"warm-up\"}");
        String token = seen.get().split(" ")[3];
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        // the signature is 256 zero bytes: no key signed it, so any verifier refuses it
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(256).containsOnly(0);
    }

    @Test
    void nothing_listening_is_no_failure_only_no_status() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(ApiWarmUp.postRefused(port, "{}")).isEqualTo(-1);
    }
}
