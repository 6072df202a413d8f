package io.updraft.telemetry.api;

import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import io.updraft.telemetry.service.HealthQueries;
import io.updraft.support.tenant.Tenants;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/rollouts/{rolloutId}/health")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutHealthResource {
    @Inject
    HealthQueries queries;
    @Inject
    Tenants tenants;

    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public RolloutHealthView health(@PathParam("rolloutId") @Identifier(max = 64) String rolloutId) {
        // the token's tenant: another tenant's rollout is 404 exactly like an unknown one
        return queries.healthOf(tenants.current(), rolloutId).map(HealthMapper::toView)
                .orElseThrow(() -> ProblemException.notFound("no telemetry for rollout " + rolloutId));
    }
}
