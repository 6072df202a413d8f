package io.updraft.gateway.api;

import io.updraft.gateway.config.ServedTenants;
import io.updraft.gateway.domain.DeltaLinkKey;
import io.updraft.gateway.service.DeltaLinks;
import io.updraft.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Mints delta links: CI asks for the link of a .zck before it publishes the release, because the link goes into the
 * signed sw-description that SWUpdate's delta handler reads (it sends no credentials of its own). The .zck need not
 * exist yet; the link serves it once a release holding it reaches this gateway.
 */
@Path("/api/v1/delta-links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeltaLinkResource {
    @Inject
    DeltaLinks links;
    @Inject
    ServedTenants served;

    public record DeltaLinkRequest(String sha256) {
    }

    /** {@code path} is relative to the gateway's public base URL and carries the key. */
    public record DeltaLink(String sha256, String path) {
    }

    @POST
    @RolesAllowed({ "operator", "publisher" })
    public DeltaLink mint(DeltaLinkRequest request) {
        if (request == null || !DeltaLinkKey.isSha256(request.sha256())) {
            throw ProblemException.badRequest("sha256 must be the .zck file's SHA-256 as 64 lowercase hex digits");
        }
        String path = links.mint(served.managed(), request.sha256())
                .orElseThrow(() -> ProblemException.conflict("delta links are not configured"));
        return new DeltaLink(request.sha256(), path);
    }
}
