package io.updraft.telemetry.api;

import io.updraft.support.validation.Identifier;
import io.updraft.telemetry.service.HealthQueries;
import io.updraft.support.tenant.Tenants;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/rollbacks")
@Produces(MediaType.APPLICATION_JSON)
public class RollbackResource {
    /** Without a rollout filter the list shows the most recent decisions only. */
    static final int LATEST_LIMIT = 500;

    @Inject
    HealthQueries queries;
    @Inject
    Tenants tenants;

    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public List<RollbackView> list(@QueryParam("rolloutId") @Identifier(max = 64) String rolloutId) {
        return queries.rollbacks(tenants.current(), rolloutId, LATEST_LIMIT).stream().map(HealthMapper::toView)
                .toList();
    }
}
