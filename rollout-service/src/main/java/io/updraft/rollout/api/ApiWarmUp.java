package io.updraft.rollout.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.quarkus.runtime.LaunchMode;
import io.updraft.rollout.service.WarmUpRound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The API's part of the start-up rehearsal: a bearer token checked against the configured key (a forged one, which
 * fails as any forged token does), the request body read from a stream and validated as {@code POST /api/v1/rollouts}
 * reads it, and the created rollout's view written to a stream as it answers. Then the real HTTP path, once the
 * server listens: the same POST over loopback to the service's own port, with the forged token, so Vert.x's HTTP/1.1
 * server, RESTEasy's routing, lazy authentication and the 401 problem+json writer run before the first real request.
 * The server refuses it (the token's signature is no key's) before any resource method runs, so nothing is stored;
 * and the release it names exists only in the rehearsal's rolled-back transaction. An unreachable server (not yet
 * listening, bound elsewhere) only skips that part.
 */
@ApplicationScoped
public class ApiWarmUp {
    private static final Logger LOG = Logger.getLogger(ApiWarmUp.class);
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    static final String PATH = "/api/v1/rollouts";
    /** Per round: past the JDK's reflection inflation threshold (15 calls) within the rehearsal's rounds. */
    static final int REFLECTIVE_PASSES = 16;

    private volatile int loopbackStatus = -1;

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;
    @Inject
    JWTParser tokens;
    @Inject
    RolloutViews views;

    void rehearse(@Observes WarmUpRound round) {
        try (InputStream body = new ByteArrayInputStream(round.requestBody().getBytes(StandardCharsets.UTF_8))) {
            // RESTEasy's Jackson reader parses the request's byte stream (UTF-8 stream parser), not a String
            CreateRolloutRequest request = json.readerFor(CreateRolloutRequest.class).readValue(body);
            // the 201 as create builds it: JAX-RS' runtime delegate, URI and response builders, the view written to
            // the response's byte stream. Validation and Jackson reach the request's and the view's accessors by
            // reflection, which the JDK compiles into an accessor class at a method's 16th call: done here, not in
            // the first answer
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            for (int i = 0; i < REFLECTIVE_PASSES; i++) {
                validator.validate(request);
                request.toNewRollout();
                written.reset();
                json.writeValue(written, views.of(round.rollout()));
            }
            Response.created(UriBuilder.fromUri("http://localhost" + PATH).path(round.rollout().id).build())
                    .entity(written.toByteArray()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            tokens.parse(forgedToken());
        } catch (ParseException expected) {
            // its signature is not the identity provider's: refused, as the rehearsal wants
        }
        ownPort().ifPresent(port -> {
            int status = postRefused(port, round.requestBody());
            if (status > 0) {
                loopbackStatus = status;
            }
        });
    }

    /** The status the service's own HTTP server last answered a rehearsal's request (401), or -1: none reached it. */
    public int loopbackStatus() {
        return loopbackStatus;
    }

    /**
     * {@code POST /api/v1/rollouts} over loopback with a forged bearer token, the answer read to its end.
     *
     * @return the HTTP status (401: refused before the resource), or -1 when nothing answered
     */
    static int postRefused(int port, String body) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create("http://localhost:" + port + PATH).toURL().openConnection();
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(5_000);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Authorization", "Bearer " + forgedToken());
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            try (InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (answer != null) {
                    answer.readAllBytes();
                }
            }
            return status;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("warm-up: no request over loopback to port %d (%s)", port, e.toString());
            return -1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** The port this service's HTTP server listens on (the test port in tests), once it is known. */
    private static OptionalInt ownPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).filter(port -> port > 0)
                .map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private static String forgedToken() {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"sub\":\"warm-up\",\"groups\":[\"operator\"],\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
        return URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + URL.encodeToString(new byte[256]);
    }
}
