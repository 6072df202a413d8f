package io.updraft.telemetry.api;

import io.updraft.telemetry.api.RolloutHealthView.CohortHealthView;
import io.updraft.telemetry.api.RolloutHealthView.PolicyView;
import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.domain.RollbackDecision;
import io.updraft.telemetry.domain.RollbackRule;
import io.updraft.telemetry.service.HealthQueries.RolloutHealth;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Entities never go on the wire: this turns them into REST views. */
public final class HealthMapper {
    private HealthMapper() {
    }

    public static RolloutHealthView toView(RolloutHealth health) {
        RollbackRule rule = health.rule();
        Map<String, RollbackDecision> byCohort = byCohort(health.decisions());
        return new RolloutHealthView(health.rolloutId(),
                new PolicyView(rule.failureRateThreshold(), rule.minSampleSize()),
                health.cohorts().stream().map(c -> toView(c, byCohort.get(c.id.cohort))).toList());
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
