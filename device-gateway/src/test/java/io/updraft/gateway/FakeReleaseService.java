package io.updraft.gateway;

import io.updraft.support.artifacts.ArtifactUrlSigner;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only stand-in for the release-service's internal artifact endpoint: checks the gateway's signature for the
 * tenant the link names ({@code DEFAULT} when it names none, as the real one does) and serves deterministic bytes with
 * single byte ranges and If-Range.
 */
@Path("/internal/v1/artifacts/{artifactId}")
public class FakeReleaseService {
    static final int SIZE = 20_000;
    /** Artifacts of revoked releases: 410, as the release-service answers them. */
    static final java.util.Set<Long> REVOKED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The tenant each verified request was signed for, by artifact id, in order. */
    static final java.util.Map<Long, java.util.List<String>> SIGNED_FOR = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    @Inject
    ArtifactUrlSigner signer;

    static byte[] bytesOf(long artifactId) {
        byte[] bytes = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            bytes[i] = (byte) (i * 31 + artifactId);
        }
        return bytes;
    }

    @GET
    public Response artifact(@PathParam("artifactId") long artifactId, @QueryParam("expires") long expires,
            @QueryParam("signature") String signature, @QueryParam("tenant") String tenant,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        String signedFor = tenant == null ? io.updraft.events.TenantIds.DEFAULT : tenant;
        if (!signer.verify(signedFor, artifactId, expires, signature)) {
            return Response.status(403).build();
        }
        SIGNED_FOR.computeIfAbsent(artifactId, id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(signedFor);
        if (REVOKED.contains(artifactId)) {
            return Response.status(410).build();
        }
        byte[] bytes = bytesOf(artifactId);
        String etag = "\"artifact-" + artifactId + "\"";
        // RFC 9110 If-Range: a validator that no longer matches means "send the whole, current representation".
        if (range == null || (ifRange != null && !ifRange.equals(etag))) {
            return Response.ok(bytes, "application/octet-stream").header("ETag", etag)
                    .header("Accept-Ranges", "bytes").build();
        }
        Matcher m = RANGE.matcher(range);
        if (!m.matches() || Integer.parseInt(m.group(1)) >= SIZE) {
            return Response.status(416).header("Content-Range", "bytes */" + SIZE).build();
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2).isEmpty() ? SIZE - 1 : Math.min(Integer.parseInt(m.group(2)), SIZE - 1);
        byte[] part = java.util.Arrays.copyOfRange(bytes, from, to + 1);
        return Response.status(206).entity(part).type("application/octet-stream").header("ETag", etag)
                .header("Accept-Ranges", "bytes").header("Content-Range", "bytes " + from + "-" + to + "/" + SIZE)
                .build();
    }
}
