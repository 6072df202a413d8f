package io.updraft.telemetry.api;

import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import io.updraft.telemetry.domain.DeviceHealth;
import io.updraft.telemetry.service.DeviceHealthBook;
import io.updraft.support.tenant.Tenants;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Each device's latest health report, for the console's device pages; the token's tenant's devices only. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceHealthResource {
    /** A list page's worth (the console shows 100 devices a page). */
    static final int MAX_BATCH = 200;

    @Inject
    DeviceHealthBook book;
    @Inject
    Tenants tenants;

    public record BatchRequest(
            @NotNull @Size(min = 1, max = MAX_BATCH) List<@NotNull @Identifier String> deviceIds) {
    }

    @GET
    @Path("/{deviceId}/health")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public DeviceHealthView health(@PathParam("deviceId") @Identifier String deviceId) {
        // the token's tenant: another tenant's device is as unknown as one that never reported
        return book.latest(tenants.current(), deviceId).map(DeviceHealthView::of)
                .orElseThrow(() -> ProblemException.notFound("device " + deviceId + " never reported its health"));
    }

    /** Up to {@value #MAX_BATCH} devices in one read (a URL could not carry a page of ids through every proxy). */
    @POST
    @Path("/health/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public DeviceHealthView.Batch batch(@NotNull @Valid BatchRequest request) {
        Set<String> asked = new LinkedHashSet<>(request.deviceIds());
        List<DeviceHealth> found = book.latestOf(tenants.current(), asked);
        found.forEach(health -> asked.remove(health.deviceId()));
        return new DeviceHealthView.Batch(found.stream().map(DeviceHealthView::of).toList(), List.copyOf(asked));
    }
}
