package io.updraft.release.api;

import io.updraft.events.TenantIds;
import io.updraft.release.config.UploadConfig;
import io.updraft.release.domain.Upload;
import io.updraft.release.service.ArtifactUploads;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestHeader;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Two-step uploads: {@code POST /api/v1/uploads} announces a file and answers a secret, expiring {@code uploadUrl};
 * {@code PUT <uploadUrl>} streams its bytes (no bearer token: the URL is the credential, like an S3 pre-signed URL);
 * a publish then references the upload in its {@code artifacts} part.
 */
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    @Inject
    ArtifactUploads uploads;
    @Inject
    UploadConfig config;
    @Inject
    JsonWebToken caller;
    @Inject
    Tenants tenants;

    /** What CI announces: the artifact's filename, and optionally its size and sha256 (then checked on arrival). */
    public record UploadRequest(String name, Long size, String sha256) {
    }

    /** Where to PUT the bytes, until when. */
    public record UploadTicket(String uploadId, String uploadUrl, Instant expiresAt) {
    }

    /** An upload and, once received, what its bytes hash to. */
    public record UploadView(String uploadId, String name, String state, Long size, String sha256, String sha1,
            String md5, Instant expiresAt, String releaseId) {
        static UploadView of(Upload upload) {
            var hashes = upload.hashes();
            return new UploadView(upload.id(), upload.filename(), upload.state().name(),
                    hashes == null ? null : hashes.size(), hashes == null ? null : hashes.sha256(),
                    hashes == null ? null : hashes.sha1(), hashes == null ? null : hashes.md5(), upload.expiresAt(),
                    upload.releaseId());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("publisher")
    public Response announce(UploadRequest request, UriInfo uri) {
        tenants.current(); // a token naming no tenant in multi mode is refused (403)
        if (request == null) {
            throw ProblemException.badRequest("body must be {\"name\": \"fw.swu\", \"size\": …, \"sha256\": …}");
        }
        String name = PublishRequestReader.usableFilename(request.name());
        if (name == null) {
            throw ProblemException.badRequest("'name' must be the artifact's filename: 1-255 characters of A-Z a-z 0-9"
                    + " . _ - ~ : @ +, starting with a letter or digit (no path)");
        }
        if (request.size() != null && request.size() < 0) {
            throw ProblemException.badRequest("'size' must not be negative");
        }
        if (request.sha256() != null && !SHA256.matcher(request.sha256().strip()).matches()) {
            throw ProblemException.badRequest("'sha256' must be 64 hexadecimal digits, got '" + request.sha256() + "'");
        }
        String sha256 = request.sha256() == null ? null : request.sha256().strip().toLowerCase(java.util.Locale.ROOT);
        ArtifactUploads.Announced announced = uploads.announce(name, request.size(), sha256, caller.getName());
        String id = announced.upload().id();
        var url = uri.getBaseUriBuilder().path("api/v1/uploads").path(id).queryParam("token", announced.token());
        String tenant = tenants.current();
        if (!TenantIds.isDefault(tenant)) {
            // the PUT carries no bearer token: the URL names the tenant the upload is looked up in
            url.queryParam("tenant", tenant);
        }
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/uploads/" + id)
                .entity(new UploadTicket(id, url.build().toString(), announced.upload().expiresAt()))
                .build();
    }

    /** The bytes of an announced upload, streamed to the spool and hashed on the way. Answers what they hash to. */
    @PUT
    @Path("{uploadId}")
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    public UploadView receive(@RestPath @Identifier String uploadId, @RestQuery @SafeText(max = 512) String token,
            @RestQuery @SafeText(max = 64) String tenant, @RestHeader("Content-Length") Long contentLength,
            InputStream body, RoutingContext http) {
        try {
            // looked up in the tenant the uploadUrl names (none: DEFAULT); in another tenant it is an unknown upload
            String owner = tenant == null ? TenantIds.DEFAULT : TenantIds.isValid(tenant) ? TenantIds.canonical(tenant)
                    : null;
            if (owner == null) {
                throw ProblemException.notFound("no upload " + uploadId + " (unknown, or expired and removed)");
            }
            return Tenants.runAs(owner, () -> UploadView.of(uploads.receive(uploadId, token, contentLength,
                    new LimitedBody(body, config.maxSize().asLongValue()))));
        } catch (RuntimeException refused) {
            if (refused instanceof ProblemException problem && problem.status() != 403 && problem.status() != 404) {
                // the uploadUrl's token was right: a small body is read to its end, a large one not
                UploadLimit.closeAfterResponse(http, contentLength, body);
            } else {
                // a stranger is not read from at all: a trickled body must not hold a worker thread
                UploadLimit.closeAfterResponse(http);
            }
            throw refused;
        }
    }

    @GET
    @Path("{uploadId}")
    @RolesAllowed("publisher")
    public UploadView show(@RestPath @Identifier String uploadId) {
        return uploads.find(uploadId).map(UploadView::of)
                .orElseThrow(() -> ProblemException.notFound("no upload " + uploadId
                        + " (unknown, or expired and removed)"));
    }
}
