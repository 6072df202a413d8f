package io.updraft.release.api;

import io.updraft.events.TenantIds;
import io.updraft.release.domain.Tenant;
import io.updraft.release.service.TenantRegistry;
import io.updraft.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The tenant registry (ADR 0021 decisions 1 and 5), for the {@code platform-admin} role only: a platform administrator
 * has no tenant and manages tenants here, nothing else (every other endpoint of this service answers its token 403,
 * for every id alike). Every other role is 403 here. Ids are compared without case and answered upper-case.
 */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantResource.PLATFORM_ADMIN)
public class TenantResource {
    public static final String PLATFORM_ADMIN = "platform-admin";
    /** JSON merge patch (RFC 7396), what {@code PATCH …/quotas} takes besides plain JSON. */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    @Inject
    TenantRegistry registry;

    /** 201 + Location; 409 when the id exists in any case. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        TenantBodies.NewTenant request = TenantBodies.newTenant(body);
        TenantView created = TenantView.of(registry.create(request.id(), request.displayName(), request.quotas()));
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/tenants/" + created.id())
                .entity(created)
                .build();
    }

    /**
     * Tenants in id order; while more remain, the {@code Next-Cursor} header is what to send as {@code cursor} for the
     * next page (as {@code GET /api/v1/releases} pages).
     */
    @GET
    public RestResponse<List<TenantView>> list(@RestQuery @DefaultValue("100") @Min(1) @Max(500) int limit,
            @RestQuery String cursor) {
        List<Tenant> page = registry.page(cursor == null ? null : TenantCursor.read(cursor), limit + 1);
        if (page.size() <= limit) {
            return RestResponse.ok(TenantView.of(page));
        }
        List<TenantView> shown = TenantView.of(page.subList(0, limit));
        return RestResponse.ResponseBuilder.ok(shown)
                .header(ReleaseResource.NEXT_CURSOR, TenantCursor.after(shown.get(limit - 1).id())).build();
    }

    @GET
    @Path("{id}")
    public TenantView show(@RestPath String id) {
        String tenant = tenantId(id);
        return registry.find(tenant).map(TenantView::of).orElseThrow(() -> TenantRegistry.unknown(tenant));
    }

    /** Sets all four quotas; one left out is unlimited. 200; 404. */
    @PUT
    @Path("{id}/quotas")
    @Consumes(MediaType.APPLICATION_JSON)
    public TenantView replaceQuotas(@RestPath String id, InputStream body) {
        String tenant = tenantId(id);
        var quotas = TenantBodies.replacement(body);
        return TenantView.of(registry.changeQuotas(tenant, current -> quotas));
    }

    /** Changes the quotas the body names (null: unlimited), keeps the others. 200; 404. */
    @PATCH
    @Path("{id}/quotas")
    @Consumes({ MERGE_PATCH, MediaType.APPLICATION_JSON })
    public TenantView patchQuotas(@RestPath String id, InputStream body) {
        String tenant = tenantId(id);
        var patch = TenantBodies.patch(body);
        return TenantView.of(registry.changeQuotas(tenant, current -> TenantBodies.merge(current, patch, "")));
    }

    /** A path's tenant id, canonical; anything else (a slash, NUL, over 40 characters) is a 400. */
    private static String tenantId(String id) {
        if (!TenantIds.isValid(id)) {
            throw ProblemException.badRequest("not a tenant id: 1-" + TenantIds.MAX_LENGTH
                    + " of A-Z a-z 0-9 _ -, starting with a letter or digit");
        }
        return TenantIds.canonical(id);
    }

    /** Where a page of tenants ended: opaque to clients, a 400 when it is not one this API made. */
    static final class TenantCursor {
        private static final String VERSION = "t1:";
        private static final String REFUSED = "cursor is not one this API gave out (pass the Next-Cursor of a"
                + " previous page as it is)";

        private TenantCursor() {
        }

        static String after(String id) {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((VERSION + id).getBytes(StandardCharsets.UTF_8));
        }

        static String read(String cursor) {
            if (cursor.isEmpty() || cursor.length() > 100 || !cursor.chars().allMatch(TenantCursor::base64url)) {
                throw ProblemException.badRequest(REFUSED);
            }
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notOurs) {
                throw ProblemException.badRequest(REFUSED);
            }
            String id = decoded.startsWith(VERSION) ? decoded.substring(VERSION.length()) : null;
            if (id == null || !TenantIds.isValid(id) || !id.equals(TenantIds.canonical(id))) {
                throw ProblemException.badRequest(REFUSED);
            }
            return id;
        }

        private static boolean base64url(int c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
        }
    }
}
