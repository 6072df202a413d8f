package io.updraft.telemetry.rest;

import io.updraft.support.problem.ProblemException;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.mapping.HealthMapper;
import io.updraft.telemetry.repository.CohortStatsRepository;
import io.updraft.telemetry.repository.RollbackDecisionRepository;
import io.updraft.telemetry.repository.RolloutRepository;
import io.updraft.telemetry.service.PolicyBook;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import io.updraft.support.validation.Identifier;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/rollouts/{rolloutId}/health")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutHealthResource {
    @Inject
    RolloutRepository rollouts;
    @Inject
    CohortStatsRepository stats;
    @Inject
    RollbackDecisionRepository decisions;
    @Inject
    PolicyBook policies;

    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public RolloutHealthView health(@PathParam("rolloutId") @Identifier(max = 64) String rolloutId) {
        Rollout rollout = rollouts.findByIdOptional(rolloutId)
                .orElseThrow(() -> ProblemException.notFound("no telemetry for rollout " + rolloutId));
        return HealthMapper.toView(rolloutId, policies.ruleOf(rollout), stats.ofRollout(rolloutId),
                decisions.ofRollout(rolloutId));
    }
}
