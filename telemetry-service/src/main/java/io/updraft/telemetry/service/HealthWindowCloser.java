package io.updraft.telemetry.service;

import io.quarkus.scheduler.Scheduled;
import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent.CohortHealth;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.UpdraftEvent;
import io.updraft.support.outbox.Outbox;
import io.updraft.telemetry.config.TelemetryConfig;
import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.domain.RollbackDecision;
import io.updraft.telemetry.domain.WindowDue;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.persistence.HealthPointRepository;
import io.updraft.telemetry.persistence.RollbackDecisionRepository;
import io.updraft.telemetry.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes one HealthWindowClosed per rollout and window: for running rollouts, and one last time after a rollout
 * finished, each in its rollout's tenant. At N replicas a transaction-scoped advisory lock lets one replica close
 * windows at a time.
 */
@ApplicationScoped
public class HealthWindowCloser {
    /** Per tick; rollouts left over are the oldest-windowed next tick. */
    static final int BATCH = 200;

    @Inject
    TelemetryConfig config;
    @Inject
    RolloutRepository rollouts;
    @Inject
    CohortStatsRepository stats;
    @Inject
    RollbackDecisionRepository decisions;
    @Inject
    Outbox outbox;
    @Inject
    HealthPointRepository points;

    @Scheduled(identity = "health-window", every = "${updraft.telemetry.window:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void closeWindows() {
        if (!rollouts.tryWindowLock()) {
            return;
        }
        // micros: what timestamptz keeps, so the next window starts exactly where this one ended
        Instant now = EventMeta.now().truncatedTo(ChronoUnit.MICROS);
        // another replica's tick may just have closed these windows: wait at least half a window between two
        Instant notAfter = now.minus(config.window().dividedBy(2));
        for (WindowDue due : rollouts.dueForWindow(notAfter, BATCH)) {
            String tenant = due.tenant();
            HealthWindowClosed window = windowOf(due.rolloutId(), due.windowStart(), now,
                    stats.ofRollout(tenant, due.rolloutId()), decisions.ofRollout(tenant, due.rolloutId()));
            // in the rollout's tenant: the record names it (JSON, ce_tenant, TENANT/rolloutId key), DEFAULT's as before
            outbox.append(tenant, window);
            points.record(tenant, window);
            rollouts.windowClosed(tenant, due.rolloutId(), now);
        }
    }

    /** Entities never go on the wire: the event carries each cohort's figures, rolled back if decided so. */
    static HealthWindowClosed windowOf(String rolloutId, Instant windowStart, Instant windowEnd,
            List<CohortStats> cohorts, List<RollbackDecision> decisions) {
        Set<String> decided = decisions.stream().map(d -> d.id.cohort).collect(Collectors.toSet());
        List<CohortHealth> health = cohorts.stream()
                .map(c -> new CohortHealth(c.id.cohort, c.succeeded, c.failed, c.failureRate(), c.healthReports,
                        c.unhealthyReports, c.crashes, c.rolledBack || decided.contains(c.id.cohort)))
                .toList();
        return new HealthWindowClosed(EventMeta.newId(), windowEnd, UpdraftEvent.SCHEMA_VERSION, rolloutId,
                windowStart, windowEnd, health);
    }
}
