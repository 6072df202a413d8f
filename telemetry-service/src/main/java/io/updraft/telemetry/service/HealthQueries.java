package io.updraft.telemetry.service;

import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.domain.HealthPoint;
import io.updraft.telemetry.domain.RollbackDecision;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.domain.Rollout;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.persistence.DeviceProgressRepository;
import io.updraft.telemetry.persistence.HealthPointRepository;
import io.updraft.telemetry.persistence.RollbackDecisionRepository;
import io.updraft.telemetry.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the REST API and the live dashboard read: a rollout's health, rollback decisions, the dashboard snapshot —
 * each of one tenant (the caller's), so another tenant's rollout is as unknown as one that never existed.
 */
@ApplicationScoped
public class HealthQueries {
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
    PolicyBook policies;

    /** A rollout's cohorts with the rule it is shown with and the rollbacks decided; empty if telemetry never saw it. */
    public Optional<RolloutHealth> healthOf(String tenant, String rolloutId) {
        return rollouts.byId(tenant, rolloutId).map(rollout -> new RolloutHealth(rolloutId,
                policies.ruleOf(rollout), stats.ofRollout(tenant, rolloutId), decisions.ofRollout(tenant, rolloutId)));
    }

    /** The rollout's decisions, or (rollout null or blank) the {@code latest} most recent ones. */
    public List<RollbackDecision> rollbacks(String tenant, String rolloutId, int latest) {
        return rolloutId == null || rolloutId.isBlank() ? decisions.latest(tenant, latest)
                : decisions.ofRollout(tenant, rolloutId);
    }

    /** The most recent rollouts with their cohorts, devices per state and charts, read in one transaction. */
    @Transactional
    public DashboardSnapshot dashboard(String tenant, int rolloutsShown, int pointsPerCohort, int rollbacksShown) {
        List<RolloutSnapshot> shown = rollouts.latest(tenant, rolloutsShown).stream()
                .map(rollout -> snapshotOf(rollout, pointsPerCohort)).toList();
        return new DashboardSnapshot(shown, decisions.latest(tenant, rollbacksShown));
    }

    private RolloutSnapshot snapshotOf(Rollout rollout, int pointsPerCohort) {
        String tenant = rollout.tenantId;
        Map<String, RollbackDecision> decided = decisions.ofRollout(tenant, rollout.rolloutId).stream()
                .collect(Collectors.toMap(d -> d.id.cohort, d -> d));
        Map<String, List<HealthPoint>> history = points.lastOf(tenant, rollout.rolloutId, pointsPerCohort).stream()
                .collect(Collectors.groupingBy(HealthPoint::cohort));
        List<CohortStats> cohorts = stats.ofRollout(tenant, rollout.rolloutId);
        return new RolloutSnapshot(rollout, progress.countsOf(tenant, rollout.rolloutId), cohorts, decided, history);
    }

    public record RolloutHealth(String rolloutId, RollbackRule rule, List<CohortStats> cohorts,
            List<RollbackDecision> decisions) {
    }

    public record DashboardSnapshot(List<RolloutSnapshot> rollouts, List<RollbackDecision> rollbacks) {
    }

    /** {@code decisions} and {@code history} by cohort; a cohort without either is absent from the map. */
    public record RolloutSnapshot(Rollout rollout, Map<String, Long> devices, List<CohortStats> cohorts,
            Map<String, RollbackDecision> decisions, Map<String, List<HealthPoint>> history) {
    }
}
