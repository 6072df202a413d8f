package io.updraft.support.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The request-size limits every service enforces itself, so that each refusal is a problem document: a request line
 * longer than {@code updraft.http.max-uri-length} is a 414, headers larger than {@code updraft.http.max-header-bytes}
 * a 431, a declared {@code Content-Length} over {@code quarkus.http.limits.max-body-size} a 413. Vert.x would answer
 * the first two (and a body over the limit) with an empty body; its own limits are set above these (each service's
 * {@code application.properties}), so it only answers what exceeds even those. Checked before routing and
 * authentication; a few comparisons per request (the DDI poll runs through this).
 */
@Singleton
public class HttpLimits {
    /** Before every other filter: a request past the limits is refused before anything reads it. */
    static final int PRIORITY = 20_000;

    private final int maxUriLength;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;

    HttpLimits() {
        var config = ConfigProvider.getConfig();
        maxUriLength = config.getOptionalValue("updraft.http.max-uri-length", Integer.class).orElse(8192);
        maxHeaderBytes = config.getOptionalValue("updraft.http.max-header-bytes", Integer.class).orElse(16_384);
        maxBodyBytes = config.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10_240L * 1024);
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > maxUriLength) {
            refuse(context, 414, "URI Too Long", "the request URI is longer than " + maxUriLength + " characters");
            return;
        }
        if (headerBytes(request.headers()) > maxHeaderBytes) {
            refuse(context, 431, "Request Header Fields Too Large", "the request headers are larger than "
                    + maxHeaderBytes + " bytes");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            refuse(context, 413, "Content Too Large", "the request body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        context.next();
    }

    private boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length itself
        }
    }

    private static int headerBytes(MultiMap headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers) {
            total += header.getKey().length() + header.getValue().length() + 4;
        }
        return total;
    }

    private static void refuse(RoutingContext context, int status, String title, String detail) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close") // the body (if any) is not read
                .end("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
