package io.updraft.rollout.api;

import io.updraft.rollout.service.DeviceQueries;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** What happened to one device: its actions, the reports about them, and the rollbacks of its cohort. */
@Path("/api/v1/devices/{id}/history")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceHistoryResource {
    @Inject
    DeviceQueries devices;

    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public HistoryView history(@PathParam("id") @Identifier String id,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(HistoryView.MAX_LIMIT) int limit) {
        HistoryView.Cursor after = HistoryView.Cursor.decode(cursor);
        if (devices.find(id).isEmpty()) {
            throw ProblemException.notFound("device " + id + " not found");
        }
        return HistoryView.of(devices.history(id, after.at(), after.key(), limit + 1), limit);
    }
}
