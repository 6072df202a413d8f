package io.updraft.gateway.api;

import io.updraft.gateway.service.DeltaLinks;
import io.updraft.gateway.service.DeviceArtifacts.Download;
import io.updraft.support.problem.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * A .zck through its delta link, for SWUpdate's delta handler (no credentials; the link's key is the authorisation):
 * the same bytes, ranges, multipart answers and headers as the DDI download ({@link ArtifactProxy}), counted as
 * {@code kind="delta-link"}. A wrong or missing key, another tenant, a sha256 of no .zck this gateway knows, a file
 * the store no longer has or one of a revoked release: one and the same 404, so a link reveals nothing it does not
 * grant.
 */
@Path("/delta/v1/{tenant}/{file}")
@PermitAll
public class DeltaFileResource {
    private static final String SUFFIX = ".zck";
    private static final int MAX_FILE = 64 + SUFFIX.length();

    @Inject
    DeltaLinks links;
    @Inject
    ArtifactProxy proxy;

    /** No {@code @Produces}: the type is set per answer (octet-stream, multipart/byteranges, problem+json). */
    @GET
    public Response download(@PathParam("tenant") String tenant, @PathParam("file") String file,
            @QueryParam("key") String key, @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return answer(tenant, file, key, range, ifRange, false);
    }

    @HEAD
    public Response head(@PathParam("tenant") String tenant, @PathParam("file") String file,
            @QueryParam("key") String key, @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return answer(tenant, file, key, range, ifRange, true);
    }

    private Response answer(String tenant, String file, String key, String range, String ifRange, boolean head) {
        if (file == null || file.length() != MAX_FILE || !file.endsWith(SUFFIX)) {
            throw notFound();
        }
        Optional<Download> download = links.resolve(tenant, file.substring(0, 64), key);
        if (download.isEmpty()) {
            throw notFound();
        }
        try {
            return proxy.stream(download.get(), range, ifRange, head);
        } catch (ProblemException e) {
            if (e.status() == 404 || e.status() == 410) {
                throw notFound(); // not there or revoked: the same answer; the store's wording would name the artifact
            }
            throw e;
        }
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("no such delta file");
    }
}
