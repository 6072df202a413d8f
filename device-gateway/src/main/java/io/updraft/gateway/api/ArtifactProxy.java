package io.updraft.gateway.api;

import io.updraft.events.ArtifactRef;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.domain.ByteRanges;
import io.updraft.gateway.domain.ByteRanges.Part;
import io.updraft.gateway.domain.ByteRanges.Spec;
import io.updraft.gateway.service.DeviceArtifacts.Download;
import io.updraft.gateway.service.DownloadAccounting;
import io.updraft.gateway.service.DownloadAccounting.Kind;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import io.updraft.support.problem.Problem;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Streams an artifact's bytes from the release-service to a device, never holding the whole file: the gateway has
 * authenticated the device, so it asks with a short-lived signed URL. No range or one range is forwarded as it is
 * (200/206/416 from the release-service). Several ranges are answered here as {@code multipart/byteranges} (RFC 9110
 * §14.6), each part fetched from the release-service as one single-range request while the answer is written, so
 * the same store reads (file or S3) serve it; the rules for which parts go out are {@link ByteRanges}'.
 */
@ApplicationScoped
public class ArtifactProxy {
    private static final Logger LOG = Logger.getLogger(ArtifactProxy.class);
    static final Duration SIGNATURE_LIFETIME = Duration.ofMinutes(5);
    private static final List<String> FORWARDED_HEADERS = List.of("Content-Range", "Content-Length", "ETag",
            "Accept-Ranges", "Last-Modified");
    private static final Pattern TOTAL = Pattern.compile("bytes (?:\\*|\\d+-\\d+)/(\\d+)");
    private static final String PART_TYPE = "application/octet-stream";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BUFFER = 64 * 1024;

    @Inject
    HttpClient client;
    @Inject
    ArtifactUrlSigner signer;
    @Inject
    GatewayConfig config;
    @Inject
    DownloadAccounting accounting;

    /** The answer to a GET ({@code head} false) or HEAD of the artifact with these Range/If-Range headers. */
    public Response stream(Download download, String range, String ifRange, boolean head) {
        Optional<List<Spec>> specs = ByteRanges.parse(range);
        if (specs.isPresent() && specs.get().size() > 1) {
            return multiRange(download, specs.get(), ifRange, head);
        }
        // no range, or a header to ignore (the whole artifact), or exactly one range (normalised, so a list with empty
        // elements reads as here): the release-service answers
        return forward(download, fetch(download, specs.map(one -> one.get(0).header()).orElse(null),
                ifRange), head);
    }

    private Response forward(Download download, HttpResponse<InputStream> upstream, boolean head) {
        ArtifactRef artifact = download.artifact();
        int status = upstream.statusCode();
        Response.ResponseBuilder response = Response.status(status)
                .type(PART_TYPE)
                .header("Content-Disposition", "attachment;filename=\"" + artifact.filename().replace("\"", "") + "\"");
        for (String name : FORWARDED_HEADERS) {
            upstream.headers().firstValue(name).ifPresent(value -> response.header(name, value));
        }
        InputStream body = upstream.body();
        if (head) {
            closeQuietly(body);
            return response.build();
        }
        Kind kind = status == 206 ? Kind.RANGE : Kind.FULL;
        StreamingOutput copy = output -> {
            CountingOutputStream counted = new CountingOutputStream(output);
            try (InputStream in = body) {
                in.transferTo(counted);
            } finally {
                accounting.served(download, kind, counted.count);
            }
        };
        return response.entity(copy).build();
    }

    private Response multiRange(Download download, List<Spec> specs, String ifRange, boolean head) {
        ArtifactRef artifact = download.artifact();
        // First learn the length and the current ETag, and evaluate If-Range (RFC 9110 §13.2.2: a false If-Range
        // means the Range header is ignored): one byte with the client's If-Range; a 200 is the whole artifact.
        HttpResponse<InputStream> probe = fetch(download, "bytes=0-0", ifRange);
        if (probe.statusCode() == 200) {
            return forward(download, probe, head);
        }
        closeQuietly(probe.body());
        long total = total(probe);
        String etag = probe.headers().firstValue("ETag").orElse(null);
        if (specs.size() > config.artifacts().maxRanges()) {
            return unsatisfiable(total, etag, "at most " + config.artifacts().maxRanges()
                    + " ranges per request; this one asked for " + specs.size());
        }
        List<Part> parts = ByteRanges.select(specs, total);
        if (parts.isEmpty()) {
            return unsatisfiable(total, etag, "artifact " + artifact.artifactId() + " has " + total
                    + " bytes; none of the requested ranges is within them");
        }
        String validator = etag != null ? etag : ifRange;
        if (parts.size() == 1) {
            Part only = parts.get(0);
            return forward(download, fetch(download, "bytes=" + only.first() + "-" + only.last(), validator), head);
        }
        String boundary = HexFormat.of().formatHex(randomBytes());
        long length = 0;
        for (Part part : parts) {
            length += partHeader(boundary, part, total, part == parts.get(0)).length + part.length();
        }
        length += closing(boundary).length;
        Response.ResponseBuilder response = Response.status(206)
                .header("Content-Type", "multipart/byteranges; boundary=" + boundary)
                .header("Content-Length", length)
                .header("Accept-Ranges", "bytes")
                .header("Content-Disposition", "attachment;filename=\"" + artifact.filename().replace("\"", "") + "\"");
        if (etag != null) {
            response.header("ETag", etag);
        }
        if (head) {
            return response.build();
        }
        StreamingOutput multipart = output -> {
            CountingOutputStream counted = new CountingOutputStream(output);
            try {
                for (Part part : parts) {
                    counted.write(partHeader(boundary, part, total, part == parts.get(0)));
                    copyPart(download, part, total, validator, counted);
                }
                counted.write(closing(boundary));
            } finally {
                accounting.served(download, Kind.MULTIRANGE, counted.count);
            }
        };
        return response.entity(multipart).build();
    }

    /** One part's bytes from the release-service, exactly those; anything else ends the answer (no silent mix). */
    private void copyPart(Download download, Part part, long total, String validator, OutputStream out)
            throws IOException {
        ArtifactRef artifact = download.artifact();
        HttpResponse<InputStream> upstream;
        try {
            upstream = fetch(download, "bytes=" + part.first() + "-" + part.last(), validator);
        } catch (ProblemException e) {
            throw new IOException("artifact store failed mid-answer: " + e.getMessage(), e);
        }
        try (InputStream in = upstream.body()) {
            String contentRange = upstream.headers().firstValue("Content-Range").orElse("");
            if (upstream.statusCode() != 206 || !contentRange.equals(part.contentRange(total))) {
                // the artifact changed or the store misbehaved: the 206 is sent, so the only honest end is a cut
                throw new IOException("artifact " + artifact.artifactId() + ": wanted " + part.contentRange(total)
                        + ", the store answered " + upstream.statusCode() + " " + contentRange);
            }
            byte[] buffer = new byte[(int) Math.min(BUFFER, part.length())];
            long left = part.length();
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("artifact " + artifact.artifactId() + " ended " + left + " bytes early");
                }
                out.write(buffer, 0, n); // blocks while the device's connection is not writable: back-pressure
                left -= n;
            }
        }
    }

    private static byte[] partHeader(String boundary, Part part, long total, boolean first) {
        return ((first ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + PART_TYPE + "\r\nContent-Range: "
                + part.contentRange(total) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] closing(String boundary) {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Response unsatisfiable(long total, String etag, String detail) {
        Response.ResponseBuilder response = Response.status(416)
                .header("Content-Range", "bytes */" + total)
                .header("Accept-Ranges", "bytes")
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(416, "Range not satisfiable", detail));
        if (etag != null) {
            response.header("ETag", etag);
        }
        return response.build();
    }

    /** The representation's length from a 206's or 416's Content-Range. */
    private static long total(HttpResponse<InputStream> answer) {
        Matcher m = TOTAL.matcher(answer.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches()) {
            LOG.warnf("release-service answered %d without a usable Content-Range", answer.statusCode());
            throw new ProblemException(502, "Bad gateway", "the artifact store did not say the artifact's length");
        }
        return Long.parseLong(m.group(1));
    }

    /** The release-service's answer when it is 200, 206 or 416; other answers become the device's 404/410/502. */
    private HttpResponse<InputStream> fetch(Download download, String range, String ifRange) {
        // signed for the device's tenant: release-service finds the artifact only among that tenant's (ADR 0021)
        ArtifactRef artifact = download.artifact();
        URI uri = URI.create(config.releaseServiceUrl().replaceAll("/+$", "") + "/internal/v1/artifacts/"
                + artifact.artifactId() + "?" + signer.sign(download.tenant(), artifact.artifactId(),
                        SIGNATURE_LIFETIME));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30));
        if (range != null) {
            request.header("Range", range);
        }
        if (ifRange != null) {
            request.header("If-Range", ifRange);
        }
        HttpResponse<InputStream> upstream;
        try {
            upstream = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("artifact store unreachable for artifact %d: %s", artifact.artifactId(), e.toString());
            throw new ProblemException(502, "Bad gateway", "the artifact store cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service unavailable", "interrupted while contacting the artifact store");
        }
        int status = upstream.statusCode();
        if (status != 200 && status != 206 && status != 416) {
            closeQuietly(upstream.body());
            if (status == 404) {
                throw ProblemException.notFound("artifact " + artifact.artifactId() + " is not in the artifact store");
            }
            if (status == 410) {
                throw new ProblemException(410, "Gone", "artifact " + artifact.artifactId()
                        + " belongs to a revoked release");
            }
            LOG.warnf("release-service answered %d for artifact %d", status, artifact.artifactId());
            throw new ProblemException(502, "Bad gateway", "the artifact store answered " + status);
        }
        return upstream;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }

    /** Counts what reaches the device's connection, for {@link DownloadAccounting}. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
