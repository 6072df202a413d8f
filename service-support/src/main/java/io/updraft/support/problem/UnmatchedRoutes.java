package io.updraft.support.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * What no route (REST resource, health, metrics, OpenAPI) takes: Vert.x's router would answer 404 or 405 with an
 * empty body; every service answers a problem document instead. (A request target with a malformed percent-escape is
 * refused with an empty 400 by Quarkus' HTTP layer before this router's handlers run; HostileRequestsIT counts those.)
 */
@Singleton
public class UnmatchedRoutes {

    void register(@Observes Router router) {
        router.errorHandler(404, context -> refuse(context, 404, "Not Found", "no resource at this path"));
        router.errorHandler(405, context -> refuse(context, 405, "Method Not Allowed",
                "the resource at this path does not take " + context.request().method()));
    }

    private static void refuse(RoutingContext context, int status, String title, String detail) {
        if (context.response().headWritten()) {
            return;
        }
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
