package io.updraft.telemetry.mapping;

import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.UpdraftEvent;
import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.domain.RollbackDecision;
import io.updraft.telemetry.rest.RollbackView;
import io.updraft.telemetry.rest.RolloutHealthView;
import io.updraft.telemetry.rest.RolloutHealthView.CohortHealthView;
import io.updraft.telemetry.rest.RolloutHealthView.PolicyView;
import io.updraft.telemetry.service.RollbackRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Entities never go on the wire: this turns them into REST views and fleet-health events. */
public final class HealthMapper {
    private HealthMapper() {
    }

    public static RolloutHealthView toView(String rolloutId, RollbackRule rule, List<CohortStats> cohorts,
            List<RollbackDecision> decisions) {
        Map<String, RollbackDecision> byCohort = byCohort(decisions);
        return new RolloutHealthView(rolloutId, new PolicyView(rule.failureRateThreshold(), rule.minSampleSize()),
                cohorts.stream().map(c -> toView(c, byCohort.get(c.id.cohort))).toList());
    }

    public static HealthWindowClosed toWindow(String rolloutId, Instant windowStart, Instant windowEnd,
            List<CohortStats> cohorts, List<RollbackDecision> decisions) {
        Map<String, RollbackDecision> byCohort = byCohort(decisions);
        List<CohortHealth> health = cohorts.stream()
                .map(c -> new CohortHealth(c.id.cohort, c.succeeded, c.failed, c.failureRate(), c.healthReports,
                        c.unhealthyReports, c.crashes, c.rolledBack || byCohort.containsKey(c.id.cohort)))
                .toList();
        return new HealthWindowClosed(EventMeta.newId(), windowEnd, UpdraftEvent.SCHEMA_VERSION, rolloutId,
                windowStart, windowEnd, health);
    }

    public static RollbackView toView(RollbackDecision decision) {
        return new RollbackView(decision.id.rolloutId, decision.id.cohort, decision.reason, decision.decidedAt,
                decision.succeeded, decision.failed, decision.rule, decision.devicesCounted, decision.devicesJudged,
                decision.observed, decision.limit, decision.windowStart, decision.windowEnd);
    }

    private static CohortHealthView toView(CohortStats c, RollbackDecision decision) {
        return new CohortHealthView(c.id.cohort, c.succeeded, c.failed, c.failureRate(), c.healthReports,
                c.unhealthyReports, c.crashes, c.rolledBack || decision != null,
                decision == null ? null : decision.reason);
    }

    private static Map<String, RollbackDecision> byCohort(List<RollbackDecision> decisions) {
        return decisions.stream().collect(Collectors.toMap(d -> d.id.cohort, Function.identity()));
    }
}
