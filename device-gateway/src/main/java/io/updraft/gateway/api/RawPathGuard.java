package io.updraft.gateway.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.updraft.support.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses, before any route is matched, a request whose raw path could mean one thing to the router and another to
 * whatever reads it decoded: an encoded slash or backslash ({@code %2F}, {@code %5C}), an encoded dot ({@code %2E}),
 * a double encoding ({@code %25}), a dot segment ({@code /./}, {@code /../}), a backslash, an encoded or literal
 * control character (NUL included), or a malformed escape. {@code /DEFAULT%2Fx/controller/v1/…} once reached a DDI
 * endpoint while the device authentication looked at other path segments; no identifier, tenant or artifact name
 * of this gateway needs any of these, so nothing legitimate is refused. 400 problem+json, on every route.
 */
@Singleton
public class RawPathGuard {
    /** Runs before every other HTTP filter (security, CORS) and before routing. */
    static final int PRIORITY = 10_000;
    private static final String REFUSED = "{\"type\":\"about:blank\",\"title\":\"Bad request\",\"status\":400,"
            + "\"detail\":\"the request path must not contain encoded slashes, backslashes or dots, %25, dot segments"
            + " or control characters\"}";

    void register(@Observes Filters filters) {
        filters.register(RawPathGuard::check, PRIORITY);
    }

    private static void check(RoutingContext context) {
        if (refused(context.request().path())) {
            context.response().setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(REFUSED);
            return;
        }
        context.next();
    }

    /** One pass over the raw (still encoded) path, no allocation: this runs on every poll. */
    static boolean refused(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        int length = rawPath.length();
        int segmentStart = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? rawPath.charAt(i) : '/';
            if (c == '/') {
                if (dotSegment(rawPath, segmentStart, i)) {
                    return true;
                }
                segmentStart = i + 1;
            } else if (c == '%') {
                int decoded = i + 2 < length ? hex(rawPath.charAt(i + 1)) << 4 | hex(rawPath.charAt(i + 2)) : -1;
                if (decoded < 0 || decoded == '/' || decoded == '\\' || decoded == '.' || decoded == '%'
                        || control(decoded)) {
                    return true;
                }
                i += 2;
            } else if (c == '\\' || control(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dotSegment(String path, int from, int to) {
        int length = to - from;
        return (length == 1 || length == 2) && path.charAt(from) == '.' && path.charAt(to - 1) == '.';
    }

    private static boolean control(int c) {
        return c < 0x20 || c == 0x7f;
    }

    /** The value of a hex digit, or a negative number so that a malformed escape is refused too. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -0x1000;
    }
}
