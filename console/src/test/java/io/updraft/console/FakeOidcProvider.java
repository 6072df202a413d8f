package io.updraft.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.updraft.devstack.DevTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the IdP (Keycloak in production) just large enough for the console's sign-in: discovery, an
 * authorize endpoint that consents at once, and a token endpoint that issues an access token signed with the stack's
 * dev key only when the PKCE verifier matches the challenge (S256), the code is used once and the client and redirect
 * URI are the ones of the authorize request. Answers CORS for the console's origin only, as Keycloak does for a
 * client's registered web origin.
 */
final class FakeOidcProvider implements AutoCloseable {
    static final String CLIENT_ID = "updraft-console";

    private record Grant(String challenge, String redirectUri, String nonce) {
    }

    private final HttpServer server;
    private final String issuer;
    private final DevTokens tokens;
    private final String subject;
    private final String[] roles;
    private volatile String consoleOrigin = "";
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final AtomicInteger exchanged = new AtomicInteger();

    FakeOidcProvider(DevTokens tokens, String subject, String... roles) throws IOException {
        this.tokens = tokens;
        this.subject = subject;
        this.roles = roles;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/updraft";
        server.createContext("/realms/updraft/.well-known/openid-configuration", this::discovery);
        server.createContext("/realms/updraft/authorize", this::authorize);
        server.createContext("/realms/updraft/token", this::token);
        server.start();
    }

    String issuer() {
        return issuer;
    }

    void allowOrigin(String origin) {
        consoleOrigin = origin;
    }

    /** Token requests answered with tokens: each had the right verifier for its challenge. */
    int exchanged() {
        return exchanged.get();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        send(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer
                + "/authorize\",\"token_endpoint\":\"" + issuer + "/token\",\"code_challenge_methods_supported\":[\"S256\"]}");
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        String redirect = q.get("redirect_uri");
        if (!"code".equals(q.get("response_type")) || !CLIENT_ID.equals(q.get("client_id")) || redirect == null
                || !redirect.startsWith(consoleOrigin + "/") || !"S256".equals(q.get("code_challenge_method"))
                || q.get("code_challenge") == null || q.get("state") == null) {
            send(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("code_challenge"), redirect, q.get("nonce")));
        exchange.getResponseHeaders().add("Location", redirect + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (grant == null || !"authorization_code".equals(f.get("grant_type")) || !CLIENT_ID.equals(f.get("client_id"))
                || !grant.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                || !grant.challenge().equals(s256(f.get("code_verifier")))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code, client, redirect or verifier wrong\"}");
            return;
        }
        String access = tokens.mint(subject, Duration.ofHours(1), roles);
        String idToken = b64("{\"alg\":\"none\"}") + "." + b64("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject
                + "\",\"aud\":\"" + CLIENT_ID + "\",\"nonce\":\"" + grant.nonce() + "\"}") + ".x";
        exchanged.incrementAndGet();
        send(exchange, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"id_token\":\"" + idToken + "\"}");
    }

    private void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (consoleOrigin.equals(exchange.getRequestHeaders().getFirst("Origin"))) {
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", consoleOrigin);
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
