package io.updraft.release.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.service.Publication;
import io.updraft.release.service.ReleaseCatalog;
import io.updraft.release.service.ReleaseLifecycle;
import io.updraft.release.service.ReleasePublisher;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.Inputs;
import io.updraft.support.validation.SafeText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.updraft.release.config.UploadConfig;
import io.updraft.release.storage.Spool;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {
    @Inject
    PublishRequestReader requests;
    @Inject
    ReleasePublisher publisher;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    ReleaseLifecycle lifecycle;
    @Inject
    ObjectMapper json;
    @Inject
    UploadConfig uploadConfig;
    @Inject
    Spool spool;

    /** Why a release is revoked; optional. */
    public record RevokeRequest(String reason) {
    }

    /**
     * Publishes a release from CI (or stores it as a DRAFT with {@code draft=true}). The multipart body is read here as
     * it arrives: file parts are written to the spool and hashed in the same pass (never held in memory), and the
     * spooled files nobody moved into the artifact store are deleted before the answer goes out.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed("publisher")
    public Response publish(@RestHeader("Content-Type") String contentType, InputStream body, RoutingContext http) {
        Publication publication;
        PublishForm form;
        try {
            form = PublishForm.read(new LimitedBody(body, uploadConfig.maxSize().asLongValue()), contentType, spool);
        } catch (RuntimeException refused) {
            UploadLimit.closeAfterResponse(http); // the rest of the body was not read: do not wait for it
            throw refused;
        }
        try (form) {
            publication = publisher.publish(requests.read(form));
        }
        ReleaseView release = publication.release();
        if (!publication.created()) {
            return Response.ok(release).build();
        }
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/releases/" + release.id())
                .entity(release)
                .build();
    }

    /**
     * Newest first, or with {@code order=version} (needs {@code name}) by SemVer precedence, highest first;
     * optionally one name and one state.
     */
    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public List<ReleaseView> list(@RestQuery @SafeText(max = 100) String name, @RestQuery @SafeText(max = 20) String state,
            @RestQuery @DefaultValue("created") @SafeText(max = 20) String order,
            @RestQuery @DefaultValue("100") @Min(1) @Max(500) int limit) {
        ReleaseState wanted = state(state);
        return switch (order) {
            case "created" -> catalog.newest(name, wanted, limit);
            case "version" -> {
                if (name == null) {
                    throw ProblemException.badRequest("order=version compares versions of one release: give name");
                }
                yield catalog.byVersion(name, wanted, limit);
            }
            default -> throw ProblemException.badRequest("order must be created or version, not " + order);
        };
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public ReleaseView show(@RestPath @Identifier String id) {
        return catalog.find(id).orElseThrow(() -> ProblemException.notFound("no release " + id));
    }

    /** DRAFT → PUBLISHED: announces the release ({@code ReleasePublished}). */
    @POST
    @Path("{id}/publish")
    @RolesAllowed("publisher")
    public ReleaseView publishDraft(@RestPath @Identifier String id) {
        return lifecycle.publishDraft(id);
    }

    /** PUBLISHED → STABLE ({@code ReleaseMarkedStable}). */
    @POST
    @Path("{id}/promote")
    @RolesAllowed({ "operator", "publisher" })
    public ReleaseView promote(@RestPath @Identifier String id) {
        return lifecycle.promote(id);
    }

    /** → REVOKED ({@code ReleaseRevoked}): never offered to a device again; rollouts of it are stopped. */
    @POST
    @Path("{id}/revoke")
    @RolesAllowed({ "operator", "publisher" })
    public ReleaseView revoke(@RestPath @Identifier String id, String body) {
        return lifecycle.revoke(id, reason(body));
    }

    /** The body is optional (a bare POST revokes with a default reason), so it is read leniently. */
    private String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            RevokeRequest request = json.readValue(body, RevokeRequest.class);
            return request == null ? null : Inputs.text("reason", request.reason(), 1000);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("body must be {\"reason\": \"…\"}: " + e.getOriginalMessage());
        }
    }

    private static ReleaseState state(String state) {
        if (state == null) {
            return null;
        }
        try {
            return ReleaseState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of DRAFT, PUBLISHED, STABLE, REVOKED, not " + state);
        }
    }
}
