package io.updraft.gateway.api;

import static io.updraft.gateway.api.DdiMediaTypes.HAL_JSON;
import static io.updraft.gateway.api.DdiMediaTypes.JSON;

import io.updraft.events.ArtifactRef;
import io.updraft.gateway.api.ddi.DdiDeploymentBase.DdiArtifact;
import io.updraft.gateway.api.mapping.DdiLinks;
import io.updraft.gateway.api.mapping.DeploymentMapper;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.service.DeviceArtifacts;
import io.updraft.support.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;

/**
 * Artifact list, download (byte ranges) and .MD5SUM, for artifacts of the device's own action only, each after
 * requiring the request's {@link DevicePrincipal} for its tenant and device.
 */
@Path("/{tenant}/controller/v1/{controllerId}/softwaremodules/{artifactId}/artifacts")
@DeviceAuthenticated
public class DdiArtifactResource {
    private static final String MD5SUM = ".MD5SUM";

    @Inject
    DeviceArtifacts artifacts;
    @Inject
    ArtifactProxy proxy;
    @Inject
    GatewayConfig config;
    @Context
    UriInfo uri;

    @GET
    @Produces({ JSON, HAL_JSON })
    public List<DdiArtifact> list(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @PathParam("artifactId") long artifactId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        DdiLinks links = DdiLinks.of(config.publicUrl().orElse(uri.getBaseUri().toString()), tenant, controllerId);
        List<DdiArtifact> listed = artifacts.ofModule(tenantId, controllerId, artifactId).stream()
                .map(ref -> DeploymentMapper.toArtifact(ref, links))
                .toList();
        if (listed.isEmpty()) {
            // as hawkBit: a module that none of this device's actions carries is not there for it
            throw ProblemException.notFound("no software module " + artifactId + " for this device");
        }
        return listed;
    }

    /** No {@code @Produces}: agents send {@code Accept: application/json} even here; the type is set per answer. */
    @GET
    @Path("/{filename}")
    public Response download(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @PathParam("artifactId") long artifactId, @PathParam("filename") String filename,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return answer(tenant, controllerId, artifactId, filename, range, ifRange, false);
    }

    /** The GET's status and headers (Content-Length, Content-Range, multipart boundary), without fetching bytes. */
    @HEAD
    @Path("/{filename}")
    public Response head(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @PathParam("artifactId") long artifactId, @PathParam("filename") String filename,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return answer(tenant, controllerId, artifactId, filename, range, ifRange, true);
    }

    private Response answer(String tenant, String controllerId, long artifactId, String filename, String range,
            String ifRange, boolean head) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        Optional<DeviceArtifacts.Download> download = artifacts.download(tenantId, controllerId, artifactId, filename);
        if (download.isPresent()) {
            return proxy.stream(download.get(), range, ifRange, head);
        }
        if (filename.endsWith(MD5SUM)) {
            String original = filename.substring(0, filename.length() - MD5SUM.length());
            ArtifactRef ref = artifacts.find(tenantId, controllerId, artifactId, original)
                    .orElseThrow(() -> notFound(filename));
            // The format md5sum -c expects: hash, two spaces, file name.
            return Response.ok(ref.md5() + "  " + ref.filename(), MediaType.TEXT_PLAIN_TYPE)
                    .header("Content-Disposition", "attachment;filename=\"" + filename.replace("\"", "") + "\"")
                    .build();
        }
        throw notFound(filename);
    }

    private static ProblemException notFound(String filename) {
        return ProblemException.notFound("no artifact " + filename + " in an action of this device");
    }
}
