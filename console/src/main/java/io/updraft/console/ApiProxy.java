package io.updraft.console;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Serves the four management APIs under the console's origin ({@link ProxyRoutes}): bodies stream both ways with
 * back-pressure (an artifact upload is never held whole), the Authorization header goes through untouched (each
 * service checks the token itself), no CORS header is added. Runs before every other route, on the raw request
 * target, so a hostile path is refused before anything normalises it.
 */
@ApplicationScoped
public class ApiProxy {
    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    /** Request headers passed on; everything else (Cookie, Host, Origin, hop-by-hop headers) stays here. */
    private static final Set<String> REQUEST_HEADERS = Set.of("authorization", "content-type", "content-length",
            "accept", "accept-language", "if-none-match", "if-match", "if-range", "range", "last-event-id",
            "cache-control", "user-agent");
    /** Response headers not passed back (hop-by-hop, RFC 9110 §7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection");

    private final Map<ProxyRoutes.Service, URI> upstreams = new EnumMap<>(ProxyRoutes.Service.class);
    private final HttpClient client;
    private final ConsolePages pages;

    public ApiProxy(Vertx vertx, ConsolePages pages, @ConfigProperty(name = "updraft.console.release-url") String releaseUrl,
            @ConfigProperty(name = "updraft.console.rollout-url") String rolloutUrl,
            @ConfigProperty(name = "updraft.console.gateway-url") String gatewayUrl,
            @ConfigProperty(name = "updraft.console.telemetry-url") String telemetryUrl,
            @ConfigProperty(name = "updraft.console.connect-timeout-ms", defaultValue = "5000") int connectTimeout) {
        this.pages = pages;
        upstreams.put(ProxyRoutes.Service.RELEASE, base(releaseUrl));
        upstreams.put(ProxyRoutes.Service.ROLLOUT, base(rolloutUrl));
        upstreams.put(ProxyRoutes.Service.GATEWAY, base(gatewayUrl));
        upstreams.put(ProxyRoutes.Service.TELEMETRY, base(telemetryUrl));
        // HTTP/1.1, no idle timeout: an upload may take long and a server-sent stream stays open
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(connectTimeout)
                .setMaxPoolSize(64).setKeepAlive(true).setIdleTimeout(0).setDecompressionSupported(false));
    }

    private static URI base(String url) {
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        return uri;
    }

    void register(@Observes Router router) {
        // before the static resources and everything else Quarkus routes
        router.route().order(Integer.MIN_VALUE + 10).handler(this::handle);
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        String target = in.uri();
        // the raw path, or what a normaliser would make of it, leads into the proxy's prefixes: decide here
        if (!ProxyRoutes.isProxied(in.path()) && !ProxyRoutes.isProxied(ctx.normalizedPath())) {
            pages.secure(ctx);
            ctx.next();
            return;
        }
        ProxyRoutes.Decision decision = ProxyRoutes.map(target);
        if (decision instanceof ProxyRoutes.Refuse refuse) {
            problem(in.response(), refuse.status(), refuse.detail());
            return;
        }
        forward(in, (ProxyRoutes.Forward) decision);
    }

    private void forward(HttpServerRequest in, ProxyRoutes.Forward forward) {
        in.pause();
        URI base = upstreams.get(forward.service());
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80))
                .setSsl("https".equals(base.getScheme())).setURI(basePath + forward.pathAndQuery());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        in.headers().forEach(h -> {
            if (REQUEST_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        headers.set("X-Forwarded-Proto", in.scheme());
        if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        if (in.remoteAddress() != null) {
            headers.set("X-Forwarded-For", in.remoteAddress().hostAddress());
        }
        options.setHeaders(headers);
        HttpServerResponse out = in.response();
        client.request(options).onFailure(e -> unreachable(in, forward, e)).onSuccess(request -> {
            // the browser went away (an upload canceled, a page with an event stream left): end the upstream
            // exchange too, or a server-sent stream would stay open upstream for nobody
            out.closeHandler(closed -> request.reset());
            boolean hasBody = in.headers().contains("Content-Length") || in.headers().contains("Transfer-Encoding");
            if (!hasBody) {
                in.resume();
            }
            (hasBody ? request.send(in) : request.send()).onFailure(e -> unreachable(in, forward, e))
                    .onSuccess(answer -> relay(answer, out));
        });
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse out) {
        if (out.ended() || out.closed()) {
            answer.request().reset();
            return;
        }
        out.setStatusCode(answer.statusCode());
        out.setStatusMessage(answer.statusMessage());
        answer.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        if (!answer.headers().contains("Content-Length")) {
            out.setChunked(true);
        }
        answer.pipeTo(out).onFailure(e -> LOG.debugf("relaying an answer stopped: %s", e.getMessage()));
    }

    private static void unreachable(HttpServerRequest in, ProxyRoutes.Forward forward, Throwable failure) {
        LOG.warnf("%s %s: %s unreachable: %s", in.method(), forward.pathAndQuery(), forward.service(),
                failure.getMessage());
        HttpServerResponse out = in.response();
        if (!out.headWritten() && !out.ended() && !out.closed()) {
            problem(out, 502, forward.service().name().toLowerCase(Locale.ROOT) + " service unreachable: "
                    + failure.getMessage());
        } else if (!out.closed()) {
            out.reset();
        }
    }

    static void problem(HttpServerResponse out, int status, String detail) {
        JsonObject body = new JsonObject().put("type", "about:blank").put("title", title(status))
                .put("status", status).put("detail", detail);
        // a refusal before the body was read: close afterwards, so the client stops sending
        out.setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .putHeader("Connection", "close").end(body.encode());
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 414 -> "URI Too Long";
            case 502 -> "Bad Gateway";
            default -> "Error";
        };
    }
}
