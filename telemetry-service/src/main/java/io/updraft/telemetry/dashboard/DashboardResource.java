package io.updraft.telemetry.dashboard;

import io.smallrye.mutiny.Multi;
import io.updraft.events.EventMeta;
import io.updraft.telemetry.dashboard.DashboardFeed.DashboardEvent;
import io.updraft.telemetry.dashboard.DashboardView.CohortCard;
import io.updraft.telemetry.dashboard.DashboardView.Point;
import io.updraft.telemetry.dashboard.DashboardView.RolloutCard;
import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.domain.RollbackDecision;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.mapping.HealthMapper;
import io.updraft.telemetry.repository.CohortStatsRepository;
import io.updraft.telemetry.repository.DeviceProgressRepository;
import io.updraft.telemetry.repository.HealthPointRepository;
import io.updraft.telemetry.repository.HealthPointRepository.HealthPoint;
import io.updraft.telemetry.repository.RollbackDecisionRepository;
import io.updraft.telemetry.repository.RolloutRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Data of the live dashboard ({@code /dashboard.html}, a public static page): a snapshot, and the events as they
 * happen over SSE. The token comes as a bearer header or, for the browser's EventSource which cannot set headers, as
 * the {@code updraft_token} cookie the page sets.
 */
@Path("/api/v1/dashboard")
public class DashboardResource {
    static final int ROLLOUTS_SHOWN = 20;
    static final int POINTS_PER_COHORT = 120;
    static final int ROLLBACKS_SHOWN = 50;

    @Inject
    RolloutRepository rollouts;
    @Inject
    CohortStatsRepository stats;
    @Inject
    RollbackDecisionRepository decisions;
    @Inject
    DeviceProgressRepository progress;
    @Inject
    HealthPointRepository points;
    @Inject
    DashboardFeed feed;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "viewer", "operator", "publisher" })
    @Transactional
    public DashboardView snapshot() {
        List<RolloutCard> cards = rollouts.latest(ROLLOUTS_SHOWN).stream().map(this::cardOf).toList();
        return new DashboardView(EventMeta.now(), cards,
                decisions.latest(ROLLBACKS_SHOWN).stream().map(HealthMapper::toView).toList());
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public Multi<DashboardEvent> events() {
        return feed.stream();
    }

    private RolloutCard cardOf(Rollout rollout) {
        Map<String, RollbackDecision> decided = decisions.ofRollout(rollout.rolloutId).stream()
                .collect(Collectors.toMap(d -> d.id.cohort, d -> d));
        Map<String, List<HealthPoint>> history = points.lastOf(rollout.rolloutId, POINTS_PER_COHORT).stream()
                .collect(Collectors.groupingBy(HealthPoint::cohort));
        List<CohortCard> cohorts = stats.ofRollout(rollout.rolloutId).stream()
                .map(c -> cohortOf(c, decided.get(c.id.cohort), history.getOrDefault(c.id.cohort, List.of())))
                .toList();
        return new RolloutCard(rollout.rolloutId, rollout.name, rollout.version, rollout.state, rollout.stateReason,
                rollout.waveCount, rollout.currentWave, rollout.deviceCount, rollout.createdAt, rollout.finishedAt,
                progress.countsOf(rollout.rolloutId), cohorts);
    }

    private static CohortCard cohortOf(CohortStats c, RollbackDecision decision, List<HealthPoint> history) {
        return new CohortCard(c.id.cohort, c.succeeded, c.failed, c.failureRate(), c.healthReports,
                c.unhealthyReports, c.crashes, c.rolledBack || decision != null,
                decision == null ? null : decision.reason,
                history.stream().map(p -> new Point(p.at(), p.succeeded(), p.failed(), p.failureRate(),
                        p.healthReports(), p.crashes())).toList());
    }
}
