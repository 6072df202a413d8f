package io.updraft.rollout.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.updraft.rollout.service.WarmUpRound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The API's part of the start-up rehearsal: a bearer token checked against the configured key (a forged one, which
 * fails as any forged token does), the request body read and validated as {@code POST /api/v1/rollouts} reads it, and
 * the created rollout's view written as it answers. Nothing is stored and no request is made.
 */
@ApplicationScoped
public class ApiWarmUp {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;
    @Inject
    JWTParser tokens;
    @Inject
    RolloutViews views;

    void rehearse(@Observes WarmUpRound round) {
        try {
            CreateRolloutRequest request = json.readValue(round.requestBody(), CreateRolloutRequest.class);
            validator.validate(request);
            request.toNewRollout();
            // the 201 as create builds it: JAX-RS' runtime delegate, URI and response builders
            Response.created(UriBuilder.fromUri("http://localhost/api/v1/rollouts").path(round.rollout().id).build())
                    .entity(json.writeValueAsString(views.of(round.rollout()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            tokens.parse(forgedToken());
        } catch (ParseException expected) {
            // its signature is not the identity provider's: refused, as the rehearsal wants
        }
    }

    private static String forgedToken() {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"sub\":\"warm-up\",\"groups\":[\"operator\"],\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
        return URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + URL.encodeToString(new byte[256]);
    }
}
