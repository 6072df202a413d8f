package io.updraft.release.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.config.UploadConfig;
import io.updraft.support.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Answers an oversized upload with a clear {@code 413 application/problem+json} as soon as its headers arrive,
 * before a byte of the body is spooled. Registered ahead of Quarkus's body handler, whose own limit (same value)
 * still stops bodies that do not announce their length, with a bare 413.
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
            if (context.request().method() == HttpMethod.POST && length != null && exceeds(length, limit)) {
                Problem problem = Problem.of(413, "Content too large", "the upload announces " + length
                        + " bytes; this service accepts at most " + limit + " bytes per publish request"
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
