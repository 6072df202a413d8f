package io.updraft.release.api;

import io.updraft.events.SemVer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.release.domain.ReleaseSnapshot;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.service.Publication;
import io.updraft.release.service.ReleaseCatalog;
import io.updraft.release.service.ReleaseLifecycle;
import io.updraft.release.service.ReleasePublisher;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
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
import io.updraft.release.service.storage.Spool;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {
    /** The header that carries the cursor of the next page of {@code GET /api/v1/releases}. */
    public static final String NEXT_CURSOR = "Next-Cursor";

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
    @Inject
    Tenants tenants;

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
    public Response publish(@RestHeader("Content-Type") String contentType,
            @RestHeader("Content-Length") Long contentLength, InputStream body, RoutingContext http) {
        Publication publication;
        PublishForm form;
        tenants.current(); // a token naming no tenant in multi mode is refused (403) before the body is read
        try {
            form = PublishForm.read(new LimitedBody(body, uploadConfig.maxSize().asLongValue()), contentType, spool,
                    contentLength);
        } catch (RuntimeException refused) {
            UploadLimit.closeAfterResponse(http); // the rest of the body was not read: do not wait for it
            throw refused;
        }
        try (form) {
            publication = publisher.publish(requests.read(form));
        }
        ReleaseView release = ReleaseView.of(publication.release());
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
     * optionally one name and one state. Newest first pages past any size: while more remain, the answer's
     * {@code Next-Cursor} header is what to send as {@code cursor} (with the same name and state) for the next page
     * (the body stays the array it always was).
     */
    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public RestResponse<List<ReleaseView>> list(@RestQuery @SafeText(max = 100) String name,
            @RestQuery @SafeText(max = 20) String state,
            @RestQuery @DefaultValue("created") @SafeText(max = 20) String order,
            @RestQuery @DefaultValue("100") @Min(1) @Max(500) int limit, @RestQuery String cursor) {
        ReleaseState wanted = state(state);
        return switch (order) {
            case "created" -> {
                List<ReleaseView> page = ReleaseView.of(cursor == null ? catalog.newest(name, wanted, limit + 1)
                        : after(ReleaseCursor.read(cursor), name, wanted, limit + 1));
                if (page.size() <= limit) {
                    yield RestResponse.ok(page);
                }
                List<ReleaseView> shown = page.subList(0, limit);
                yield RestResponse.ResponseBuilder.ok(shown)
                        .header(NEXT_CURSOR, ReleaseCursor.after(shown.get(limit - 1))).build();
            }
            case "version" -> {
                if (name == null) {
                    throw ProblemException.badRequest("order=version compares versions of one release: give name");
                }
                if (cursor != null) {
                    throw ProblemException.badRequest("cursor pages newest first: not with order=version");
                }
                yield RestResponse.ok(ReleaseView.of(catalog.byVersion(name, wanted, limit)));
            }
            default -> throw ProblemException.badRequest("order must be created or version, not " + order);
        };
    }

    private List<ReleaseSnapshot> after(ReleaseCursor cursor, String name, ReleaseState state, int limit) {
        return catalog.newestAfter(name, state, cursor.createdAt(), cursor.id(), limit);
    }

    /** Where a page of newest-first releases ended: opaque to clients, a 400 when it is not one this API made. */
    record ReleaseCursor(Instant createdAt, String id) {
        private static final String VERSION = "r1:";
        private static final int MAX_LENGTH = 400;
        private static final String REFUSED = "cursor is not one this API gave out (pass the Next-Cursor of a"
                + " previous page as it is)";

        static String after(ReleaseView last) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + last.createdAt() + "|"
                    + last.id()).getBytes(StandardCharsets.UTF_8));
        }

        static ReleaseCursor read(String cursor) {
            if (cursor.isEmpty() || cursor.length() > MAX_LENGTH || !cursor.chars().allMatch(ReleaseCursor::base64url)) {
                throw ProblemException.badRequest(REFUSED);
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = decoded.lastIndexOf('|');
                if (!decoded.startsWith(VERSION) || bar < 0 || !Inputs.isIdentifier(decoded.substring(bar + 1))) {
                    throw ProblemException.badRequest(REFUSED);
                }
                return new ReleaseCursor(Instant.parse(decoded.substring(VERSION.length(), bar)),
                        decoded.substring(bar + 1));
            } catch (IllegalArgumentException | DateTimeParseException notOurs) {
                throw ProblemException.badRequest(REFUSED);
            }
        }

        private static boolean base64url(int c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
        }
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public ReleaseView show(@RestPath @Identifier String id) {
        return catalog.find(id).map(ReleaseView::of).orElseThrow(() -> ProblemException.notFound("no release " + id));
    }

    /** DRAFT → PUBLISHED: announces the release ({@code ReleasePublished}). */
    @POST
    @Path("{id}/publish")
    @RolesAllowed("publisher")
    public ReleaseView publishDraft(@RestPath @Identifier String id) {
        return ReleaseView.of(lifecycle.publishDraft(id));
    }

    /** PUBLISHED → STABLE ({@code ReleaseMarkedStable}). */
    @POST
    @Path("{id}/promote")
    @RolesAllowed({ "operator", "publisher" })
    public ReleaseView promote(@RestPath @Identifier String id) {
        return ReleaseView.of(lifecycle.promote(id));
    }

    /** → REVOKED ({@code ReleaseRevoked}): never offered to a device again; rollouts of it are stopped. */
    @POST
    @Path("{id}/revoke")
    @RolesAllowed({ "operator", "publisher" })
    public ReleaseView revoke(@RestPath @Identifier String id, String body) {
        return ReleaseView.of(lifecycle.revoke(id, reason(body)));
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
