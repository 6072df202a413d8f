package io.updraft.release.api;

import io.updraft.events.TenantIds;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.domain.ReleaseSnapshot.ArtifactSnapshot;
import io.updraft.release.service.ReleaseCatalog.ReleasedArtifact;
import io.updraft.release.service.ReleaseCatalog;
import io.updraft.release.service.storage.ArtifactStore;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import io.updraft.support.problem.Problem;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import io.updraft.support.validation.SafeText;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Artifact bytes for the device-gateway, which authenticates devices and proxies their downloads here with a
 * short-lived signed link (no JWT: the signature is the authorisation). Bytes go from the store to the socket (a file
 * region, or a stream from the object store), never whole through the heap. A revoked release's artifacts are 410.
 * A link of a tenant other than DEFAULT names it ({@code tenant=}, covered by the signature): another tenant's
 * artifact is 404, as an unknown one.
 */
@Path("/internal/v1/artifacts")
@PermitAll
public class ArtifactDownloadResource {
    private static final Logger LOG = Logger.getLogger(ArtifactDownloadResource.class);

    @Inject
    ArtifactUrlSigner signer;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    ArtifactStore store;

    @GET
    @Path("{artifactId}")
    public Response download(@RestPath long artifactId, @RestQuery @SafeText(max = 64) String tenant,
            @RestQuery @SafeText(max = 64) String expires, @RestQuery @SafeText(max = 512) String signature,
            @RestHeader("Range") String range, @RestHeader("If-Range") String ifRange) throws IOException {
        // the link names its tenant (none: DEFAULT) and its signature covers it: it is looked up in that tenant only
        String owner = tenant == null ? TenantIds.DEFAULT
                : TenantIds.isValid(tenant) ? TenantIds.canonical(tenant) : null;
        if (owner == null || !validLink(owner, artifactId, expires, signature)) {
            throw new ProblemException(403, "Forbidden", "the artifact link is invalid or has expired");
        }
        ReleasedArtifact found = Tenants.runAs(owner, () -> catalog.artifact(artifactId))
                .orElseThrow(() -> ProblemException.notFound("no artifact " + artifactId));
        ArtifactSnapshot artifact = found.artifact();
        if (found.releaseState() == ReleaseState.REVOKED) {
            throw new ProblemException(410, "Gone", "artifact " + artifactId + " belongs to a revoked release");
        }
        if (!found.releaseState().isOffered()) {
            throw ProblemException.notFound("no artifact " + artifactId);
        }
        ArtifactStore.StoredBlob blob = blob(artifactId, artifact);
        String etag = "\"" + artifact.sha256() + "\"";
        long size = artifact.size();
        // If-Range: resume only if the client's partial copy is of these very bytes (strong ETag match)
        RangeSelection selection = ifRange == null || ifRange.trim().equals(etag)
                ? RangeSelection.of(range, size)
                : RangeSelection.whole();
        Response.ResponseBuilder response;
        if (selection instanceof RangeSelection.Part part) {
            response = Response.status(Response.Status.PARTIAL_CONTENT)
                    .header("Content-Range", part.contentRange(size))
                    .header(HttpHeaders.CONTENT_LENGTH, part.length())
                    .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .entity(blob.entity(part.first(), part.length()));
        } else if (selection instanceof RangeSelection.Unsatisfiable unsatisfiable) {
            response = Response.status(Response.Status.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header("Content-Range", unsatisfiable.contentRange(size))
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(416, "Range not satisfiable",
                            "artifact " + artifactId + " has " + size + " bytes; range was " + range));
        } else {
            response = Response.ok(blob.entity(0, size), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .header(HttpHeaders.CONTENT_LENGTH, size);
        }
        return response.header(HttpHeaders.ETAG, etag).header("Accept-Ranges", "bytes").build();
    }

    private ArtifactStore.StoredBlob blob(long artifactId, ArtifactSnapshot artifact) throws IOException {
        return store.find(artifact.sha256()).orElseThrow(() -> {
            LOG.errorf("artifact %d is in the database but its bytes %s are not in the store", artifactId,
                    artifact.sha256());
            return new ProblemException(500, "Artifact bytes missing", "artifact " + artifactId + " cannot be read");
        });
    }

    private boolean validLink(String tenant, long artifactId, String expires, String signature) {
        if (expires == null || signature == null) {
            return false;
        }
        try {
            return signer.verify(tenant, artifactId, Long.parseLong(expires), signature);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
