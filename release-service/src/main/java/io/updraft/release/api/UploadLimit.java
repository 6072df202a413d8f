package io.updraft.release.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.config.UploadConfig;
import io.updraft.support.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;

/**
 * Answers an oversized upload (a publish POST or an upload PUT) with a clear {@code 413 application/problem+json} as
 * soon as its headers arrive, before a byte of the body is spooled. A body that does not announce its length is
 * counted while it is read ({@link LimitedBody}) and refused with the same 413 when it passes the limit.
 */
@ApplicationScoped
public class UploadLimit {
    @Inject
    UploadConfig config;
    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        long limit = config.maxSize().asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            HttpMethod method = context.request().method();
            if ((method == HttpMethod.POST || method == HttpMethod.PUT) && length != null && exceeds(length, limit)) {
                Problem problem = Problem.of(413, "Content too large", "the upload announces " + length
                        + " bytes; this service accepts at most " + limit + " bytes per request"
                        + " (updraft.upload.max-size)");
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(encode(problem))
                        // the body was never read: do not leave the client sending a gigabyte into a dead request
                        .onComplete(sent -> context.request().connection().close());
                return;
            }
            context.next();
        });
    }

    /**
     * For an answer given before the request body was read to its end (a refused upload): close the connection once
     * the answer is sent, instead of leaving the client sending, or the server reading, the rest of a large body.
     */
    static void closeAfterResponse(RoutingContext context) {
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        context.addEndHandler(sent -> context.request().connection().close());
    }

    /** The most a refused request's body is still read for, so that its client hears the answer. */
    static final long DRAIN_LIMIT = 256 * 1024;

    /**
     * As {@link #closeAfterResponse(RoutingContext)}, except that an announced body of at most {@link #DRAIN_LIMIT}
     * bytes is read to its end first and the connection kept: a server that answers and closes while a small body is
     * still on its way makes the client's next write fail ("broken pipe") before it can read the 4xx. A larger or
     * unannounced body is not waited for.
     */
    static void closeAfterResponse(RoutingContext context, Long contentLength, InputStream body) {
        if (contentLength != null && contentLength <= DRAIN_LIMIT && drained(body)) {
            return;
        }
        closeAfterResponse(context);
    }

    private static boolean drained(InputStream body) {
        byte[] buffer = new byte[8192];
        long read = 0;
        try {
            for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
                read += n;
                if (read > DRAIN_LIMIT) {
                    return false; // more than announced
                }
            }
            return true;
        } catch (IOException | RuntimeException unreadable) {
            return false; // the client went away
        }
    }

    private String encode(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean exceeds(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed length itself
        }
    }
}
