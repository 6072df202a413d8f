package io.updraft.telemetry.api;

import io.smallrye.mutiny.Multi;
import io.updraft.events.EventMeta;
import io.updraft.telemetry.api.DashboardView.CohortCard;
import io.updraft.telemetry.api.DashboardView.Point;
import io.updraft.telemetry.api.DashboardView.RolloutCard;
import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.domain.HealthPoint;
import io.updraft.telemetry.domain.RollbackDecision;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.service.DashboardBroadcast.DashboardEvent;
import io.updraft.telemetry.service.DashboardBroadcast;
import io.updraft.telemetry.service.HealthQueries.DashboardSnapshot;
import io.updraft.telemetry.service.HealthQueries.RolloutSnapshot;
import io.updraft.telemetry.service.HealthQueries;
import io.updraft.support.tenant.Tenants;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Data of the live dashboard ({@code /dashboard.html}, a public static page): a snapshot, and the events as they
 * happen over SSE. The token comes as a bearer header or, for the browser's EventSource which cannot set headers, as
 * the {@code updraft_token} cookie the page sets. Both show the token's tenant only (ADR 0021).
 */
@Path("/api/v1/dashboard")
public class DashboardResource {
    static final int ROLLOUTS_SHOWN = 20;
    static final int POINTS_PER_COHORT = 120;
    static final int ROLLBACKS_SHOWN = 50;

    @Inject
    HealthQueries queries;
    @Inject
    DashboardBroadcast broadcast;
    @Inject
    Tenants tenants;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public DashboardView snapshot() {
        DashboardSnapshot snapshot = queries.dashboard(tenants.current(), ROLLOUTS_SHOWN, POINTS_PER_COHORT,
                ROLLBACKS_SHOWN);
        List<RolloutCard> cards = snapshot.rollouts().stream().map(DashboardResource::cardOf).toList();
        return new DashboardView(EventMeta.now(), cards,
                snapshot.rollbacks().stream().map(HealthMapper::toView).toList());
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public Multi<DashboardEvent> events() {
        // resolved now, in the request: the stream then carries the token's tenant's events only
        return broadcast.stream(tenants.current());
    }

    private static RolloutCard cardOf(RolloutSnapshot snapshot) {
        Rollout rollout = snapshot.rollout();
        List<CohortCard> cohorts = snapshot.cohorts().stream()
                .map(c -> cohortOf(c, snapshot.decisions().get(c.id.cohort),
                        snapshot.history().getOrDefault(c.id.cohort, List.of())))
                .toList();
        return new RolloutCard(rollout.rolloutId, rollout.name, rollout.version, rollout.state, rollout.stateReason,
                rollout.waveCount, rollout.currentWave, rollout.deviceCount, rollout.createdAt, rollout.finishedAt,
                snapshot.devices(), cohorts);
    }

    private static CohortCard cohortOf(CohortStats c, RollbackDecision decision, List<HealthPoint> history) {
        return new CohortCard(c.id.cohort, c.succeeded, c.failed, c.failureRate(), c.healthReports,
                c.unhealthyReports, c.crashes, c.rolledBack || decision != null,
                decision == null ? null : decision.reason,
                history.stream().map(p -> new Point(p.at(), p.succeeded(), p.failed(), p.failureRate(),
                        p.healthReports(), p.crashes())).toList());
    }
}
