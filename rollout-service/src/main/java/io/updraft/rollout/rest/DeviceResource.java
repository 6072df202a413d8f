package io.updraft.rollout.rest;

import io.updraft.rollout.filter.Filter;
import io.updraft.rollout.filter.FilterSyntaxException;
import io.updraft.rollout.mapping.RolloutViews;
import io.updraft.rollout.repository.DeviceInventory;
import io.updraft.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import io.updraft.rollout.filter.FilterParser;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The device inventory as the rollout-service sees it from device reports. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "viewer", "operator", "publisher" })
public class DeviceResource {
    @Inject
    DeviceInventory inventory;

    @GET
    public DeviceView.Page list(@QueryParam("model") @SafeText(max = 200) String model,
            @QueryParam("revision") @SafeText(max = 200) String revision,
            @QueryParam("version") @SafeText(max = 100) String version,
            @QueryParam("filter") @SafeText(max = FilterParser.MAX_LENGTH, multiline = true) String filter,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        DeviceInventory.Page found = inventory.page(new DeviceInventory.Filter(model, revision, version,
                expression(filter)), page, size);
        return new DeviceView.Page(found.items().stream().map(RolloutViews::of).toList(), page, size, found.total());
    }

    /** The rollouts' filter language; a filter that does not parse is a 400 naming the position. */
    private static Filter expression(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        if (filter.length() > FilterParser.MAX_LENGTH) {
            throw ProblemException.badRequest("filter must be at most " + FilterParser.MAX_LENGTH + " characters");
        }
        try {
            return FilterParser.parse(filter);
        } catch (FilterSyntaxException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("{id}")
    public DeviceView get(@PathParam("id") @Identifier String id) {
        return inventory.find(id).map(RolloutViews::of)
                .orElseThrow(() -> ProblemException.notFound("device " + id + " not found"));
    }
}
