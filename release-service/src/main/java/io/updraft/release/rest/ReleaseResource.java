package io.updraft.release.rest;

import io.updraft.release.service.Publication;
import io.updraft.release.service.ReleaseCatalog;
import io.updraft.release.service.ReleasePublisher;
import io.updraft.support.problem.ProblemException;
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
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {
    @Inject
    PublishRequestReader requests;
    @Inject
    ReleasePublisher publisher;
    @Inject
    ReleaseCatalog catalog;

    /**
     * Publishes a release from CI. Uploads are spooled to disk by Quarkus (never held in memory) and deleted when
     * the request ends; the ones we keep have been moved into the artifact store by then.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed("publisher")
    public Response publish(@RestForm String metadata, @RestForm String part,
            @RestForm("file") List<FileUpload> file) {
        Publication publication = publisher.publish(requests.read(metadata, part, file));
        ReleaseView release = publication.release();
        if (!publication.created()) {
            return Response.ok(release).build();
        }
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/releases/" + release.id())
                .entity(release)
                .build();
    }

    /** Newest first, optionally only one release name. */
    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public List<ReleaseView> list(@RestQuery String name, @RestQuery @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return catalog.newest(name, limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public ReleaseView show(@RestPath String id) {
        return catalog.find(id).orElseThrow(() -> ProblemException.notFound("no release " + id));
    }
}
