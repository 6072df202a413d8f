package io.updraft.gateway.api;

import io.updraft.events.ArtifactRef;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Streams an artifact's bytes from the release-service to a device, with byte ranges, never holding the whole file:
 * the gateway has authenticated the device, so it asks with a short-lived signed URL.
 */
@ApplicationScoped
public class ArtifactProxy {
    private static final Logger LOG = Logger.getLogger(ArtifactProxy.class);
    static final Duration SIGNATURE_LIFETIME = Duration.ofMinutes(5);
    private static final List<String> FORWARDED_HEADERS = List.of("Content-Range", "Content-Length", "ETag",
            "Accept-Ranges", "Last-Modified");

    @Inject
    HttpClient client;
    @Inject
    ArtifactUrlSigner signer;
    @Inject
    GatewayConfig config;

    public Response stream(ArtifactRef artifact, String range, String ifRange) {
        HttpResponse<InputStream> upstream = fetch(artifact, range, ifRange);
        int status = upstream.statusCode();
        if (status != 200 && status != 206 && status != 416) {
            closeQuietly(upstream.body());
            if (status == 404) {
                throw ProblemException.notFound("artifact " + artifact.artifactId() + " is not in the artifact store");
            }
            LOG.warnf("release-service answered %d for artifact %d", status, artifact.artifactId());
            throw new ProblemException(502, "Bad gateway", "the artifact store answered " + status);
        }
        Response.ResponseBuilder response = Response.status(status)
                .type("application/octet-stream")
                .header("Content-Disposition", "attachment;filename=\"" + artifact.filename().replace("\"", "") + "\"");
        for (String name : FORWARDED_HEADERS) {
            upstream.headers().firstValue(name).ifPresent(value -> response.header(name, value));
        }
        InputStream body = upstream.body();
        StreamingOutput copy = output -> {
            try (InputStream in = body) {
                in.transferTo(output);
            }
        };
        return response.entity(copy).build();
    }

    private HttpResponse<InputStream> fetch(ArtifactRef artifact, String range, String ifRange) {
        URI uri = URI.create(config.releaseServiceUrl().replaceAll("/+$", "") + "/internal/v1/artifacts/"
                + artifact.artifactId() + "?" + signer.sign(artifact.artifactId(), SIGNATURE_LIFETIME));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30));
        if (range != null) {
            request.header("Range", range);
        }
        if (ifRange != null) {
            request.header("If-Range", ifRange);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("artifact store unreachable for artifact %d: %s", artifact.artifactId(), e.toString());
            throw new ProblemException(502, "Bad gateway", "the artifact store cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service unavailable", "interrupted while contacting the artifact store");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }
}
