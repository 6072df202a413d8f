package io.updraft.console;

import java.util.List;
import java.util.Locale;

/**
 * Which service a request under the console's origin goes to, and at which path. The prefixes are the ones the
 * Kubernetes HTTPRoute {@code updraft-api} uses (deploy/base/common/gateway.yaml): {@code /release}, {@code /rollout},
 * {@code /gateway}, {@code /telemetry} in front of each service's own {@code /api/v1/...} path (the services share
 * paths such as {@code /api/v1/devices/{id}}, so one origin cannot route them by path alone). Only these API
 * prefixes are mapped: never {@code /q} (health, metrics) nor release-service's {@code /internal} downloads.
 *
 * <p>The check works on the raw request target, before anyone decodes or normalises it: a path that could mean
 * another upstream path once decoded (an encoded slash or backslash, an encoded or literal dot segment, NUL or any
 * control character, a matrix parameter) is refused, never repaired.
 */
public final class ProxyRoutes {
    /** Longer request targets are refused with 414 (the services' own limit is 8192). */
    public static final int MAX_TARGET_LENGTH = 4096;

    /** A service the console forwards to. */
    public enum Service {
        RELEASE, ROLLOUT, GATEWAY, TELEMETRY
    }

    private record Route(String prefix, Service service, String upstream) {
    }

    private static final List<Route> ROUTES = List.of(
            new Route("/release/api/v1/releases", Service.RELEASE, "/api/v1/releases"),
            new Route("/release/api/v1/uploads", Service.RELEASE, "/api/v1/uploads"),
            new Route("/release/api/v1/tenants", Service.RELEASE, "/api/v1/tenants"),
            new Route("/rollout/api/v1/rollouts", Service.ROLLOUT, "/api/v1/rollouts"),
            new Route("/rollout/api/v1/devices", Service.ROLLOUT, "/api/v1/devices"),
            new Route("/gateway/api/v1/devices", Service.GATEWAY, "/api/v1/devices"),
            new Route("/telemetry/api/v1/rollbacks", Service.TELEMETRY, "/api/v1/rollbacks"),
            new Route("/telemetry/api/v1/rollouts", Service.TELEMETRY, "/api/v1/rollouts"),
            new Route("/telemetry/api/v1/dashboard", Service.TELEMETRY, "/api/v1/dashboard"),
            new Route("/telemetry/api/v1/devices", Service.TELEMETRY, "/api/v1/devices"));

    private static final List<String> PREFIXES = List.of("/release/", "/rollout/", "/gateway/", "/telemetry/",
            "/api/");

    /** What to do with a request: forward it, or answer with a problem. */
    public sealed interface Decision permits Forward, Refuse {
    }

    /** @param pathAndQuery the upstream request target, still encoded exactly as the client sent it */
    public record Forward(Service service, String pathAndQuery) implements Decision {
    }

    public record Refuse(int status, String detail) implements Decision {
    }

    /** Whether the console's proxy answers this request at all (else: static pages, health). */
    public static boolean isProxied(String rawPath) {
        for (String prefix : PREFIXES) {
            if (rawPath.startsWith(prefix) || rawPath.equals(prefix.substring(0, prefix.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param target the request target as received ({@code /rollout/api/v1/rollouts/abc?limit=5}), not decoded
     */
    public static Decision map(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return new Refuse(400, "the request target must be an absolute path");
        }
        if (target.length() > MAX_TARGET_LENGTH) {
            return new Refuse(414, "the request target is longer than " + MAX_TARGET_LENGTH + " characters");
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        String pathProblem = pathProblem(path);
        if (pathProblem != null) {
            return new Refuse(400, pathProblem);
        }
        if (query != null) {
            String queryProblem = queryProblem(query);
            if (queryProblem != null) {
                return new Refuse(400, queryProblem);
            }
        }
        for (Route route : ROUTES) {
            if (path.equals(route.prefix()) || path.startsWith(route.prefix() + "/")) {
                String upstream = route.upstream() + path.substring(route.prefix().length());
                return new Forward(route.service(), query == null ? upstream : upstream + "?" + query);
            }
        }
        return new Refuse(404, "no management API at " + path + " (the console forwards /release/api/v1/releases, "
                + "/release/api/v1/uploads, /release/api/v1/tenants, /rollout/api/v1/rollouts, /rollout/api/v1/devices, /gateway/api/v1/devices,"
                + " /telemetry/api/v1/rollbacks, /telemetry/api/v1/rollouts, /telemetry/api/v1/dashboard and"
                + " /telemetry/api/v1/devices)");
    }

    private static String pathProblem(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "the path holds a control, space or non-ASCII character";
            }
            if (c == '\\' || c == ';') {
                return "the path holds '" + c + "'";
            }
            if (c == '%') {
                if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                    return "the path holds a malformed percent-escape";
                }
                int decoded = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
                if (decoded < 0x21 || decoded == 0x7f || decoded == '/' || decoded == '\\' || decoded == '.'
                        || decoded == '%' || decoded == ';' || decoded == '?' || decoded == '#') {
                    return "the path holds an encoded '" + describe(decoded) + "', which could reach another path";
                }
            }
        }
        if (path.contains("//")) {
            return "the path holds an empty segment";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "the path holds a dot segment";
            }
        }
        return null;
    }

    private static String queryProblem(String query) {
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '#') {
                return "the query holds a control, space or non-ASCII character";
            }
            if (c == '%') {
                if (i + 2 >= query.length() || hex(query.charAt(i + 1)) < 0 || hex(query.charAt(i + 2)) < 0) {
                    return "the query holds a malformed percent-escape";
                }
                if (hex(query.charAt(i + 1)) == 0 && hex(query.charAt(i + 2)) == 0) {
                    return "the query holds an encoded NUL";
                }
            }
        }
        return null;
    }

    private static String describe(int c) {
        return c < 0x21 || c == 0x7f ? String.format(Locale.ROOT, "\\x%02x", c) : String.valueOf((char) c);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private ProxyRoutes() {
    }
}
