package io.updraft.launcher.cli;

import io.updraft.devstack.DevKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the services are and which token to send. Each URL: its own option ({@code --rollout-url}), else
 * {@code --url} (one origin that serves every management API, as an ingress or gateway in front of them does), else its
 * own environment variable, else {@code UPDRAFT_URL}, else what {@code ./updraft up} wrote to
 * {@code .updraft/local/run.properties}, else the default ports. Token: {@code --token}, else {@code UPDRAFT_TOKEN},
 * else one minted from the local dev key of {@code ./updraft up} when it exists.
 */
record Endpoints(String release, String rollout, String telemetry, String token) {
    static final String TOKEN = "UPDRAFT_TOKEN";

    static final String URL = "UPDRAFT_URL";

    static Endpoints resolve(Path root, Map<String, String> env, String releaseOption, String rolloutOption,
            String telemetryOption, String tokenOption) {
        return resolve(root, env, null, releaseOption, rolloutOption, telemetryOption, tokenOption);
    }

    static Endpoints resolve(Path root, Map<String, String> env, String urlOption, String releaseOption,
            String rolloutOption, String telemetryOption, String tokenOption) {
        Properties up = runProperties(root);
        String shared = env.get(URL);
        return new Endpoints(
                url(releaseOption, urlOption, env.get("UPDRAFT_RELEASE_URL"), shared,
                        up.getProperty("url.release-service"), 8081),
                url(rolloutOption, urlOption, env.get("UPDRAFT_ROLLOUT_URL"), shared,
                        up.getProperty("url.rollout-service"), 8082),
                url(telemetryOption, urlOption, env.get("UPDRAFT_TELEMETRY_URL"), shared,
                        up.getProperty("url.telemetry-service"), 8084),
                token(root, tokenOption, env));
    }

    /**
     * device-gateway's management URL (delta links): {@code --gateway-url}, else {@code --url}, else
     * {@code UPDRAFT_GATEWAY_URL}, else {@code UPDRAFT_URL}, else {@code ./updraft up}'s, else http://localhost:8083.
     */
    static String gateway(Path root, Map<String, String> env, String urlOption, String gatewayOption) {
        return url(gatewayOption, urlOption, env.get("UPDRAFT_GATEWAY_URL"), env.get(URL),
                runProperties(root).getProperty("url.device-gateway"), 8083);
    }

    /**
     * The origin devices reach the gateway at (what a delta link's path is appended to): {@code --device-url}, else
     * {@code UPDRAFT_DEVICE_URL}, else {@code ./updraft up}'s gateway (devices of the local stack use it); else
     * unknown ({@code null}): a management URL need not be the one devices reach.
     */
    static String device(Path root, Map<String, String> env, String deviceOption) {
        String url = firstNonBlankOrNull(deviceOption, env.get("UPDRAFT_DEVICE_URL"),
                runProperties(root).getProperty("url.device-gateway"));
        return url == null ? null : url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String firstNonBlankOrNull(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static String url(String option, String sharedOption, String fromEnv, String sharedEnv, String fromUp,
            int defaultPort) {
        String url = firstNonBlank(option, sharedOption, fromEnv, sharedEnv, fromUp, "http://localhost:" + defaultPort);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The token the CLI sends: {@code --token}, else {@code UPDRAFT_TOKEN}, else one minted from the local key. */
    static String token(Path root, String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String token = env.get(TOKEN);
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path keys = root.resolve(".updraft/local/keys");
        if (Files.exists(keys.resolve("jwt-private.pem"))) {
            return DevKeys.in(keys).tokens().admin();
        }
        throw new IllegalStateException("no token: pass --token or set " + TOKEN + " (a bearer JWT with the publisher/operator/"
                + "viewer role your command needs), or run ./updraft up for a local one");
    }

    /** Where {@link #token} takes the token from, in words ({@code updraft whoami}). */
    static String tokenSource(Path root, String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return "--token";
        }
        String token = env.get(TOKEN);
        if (token != null && !token.isBlank()) {
            return TOKEN;
        }
        return "minted from ./updraft up's local key (" + root.resolve(".updraft/local/keys") + ")";
    }

    private static Properties runProperties(Path root) {
        Properties properties = new Properties();
        Path file = root.resolve(".updraft/local/run.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        throw new IllegalArgumentException("no value");
    }
}
