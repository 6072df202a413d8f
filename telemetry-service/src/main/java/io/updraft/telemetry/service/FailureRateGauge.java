package io.updraft.telemetry.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.updraft.telemetry.domain.CohortStats;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code updraft.cohort.failure.rate{rollout,cohort}} (plus {@code tenant} in multi mode, bounded by
 * {@link TenantLabels}) for unfinished rollouts only, so label cardinality stays bounded. Every replica refreshes from
 * the database: each one's scrape shows the same figures.
 */
@ApplicationScoped
public class FailureRateGauge {
    /** A ceiling on series, whatever happens to the number of running rollouts. */
    static final int MAX_SERIES = 1000;

    private final CohortStatsRepository stats;
    private final TenantLabels tenants;
    private final MultiGauge gauge;

    @Inject
    public FailureRateGauge(CohortStatsRepository stats, TenantLabels tenants, MeterRegistry meters) {
        this.stats = stats;
        this.tenants = tenants;
        this.gauge = MultiGauge.builder("updraft.cohort.failure.rate")
                .description("Failed / finished installs per cohort of each unfinished rollout")
                .register(meters);
    }

    @Scheduled(identity = "failure-rate-gauge", every = "${updraft.telemetry.window:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void refresh() {
        List<CohortStats> cohorts = stats.ofUnfinishedRollouts(MAX_SERIES);
        tenants.meet(cohorts.stream().map(c -> c.id.tenantId).toList());
        // overwrite = true drops the series of rollouts that finished since the last refresh
        gauge.register(rows(tenants, cohorts), true);
    }

    /**
     * One row per cohort; where tenants folded into {@code other} name the same rollout and cohort, the first row
     * stands for them (one series per label set).
     */
    static List<MultiGauge.Row<?>> rows(TenantLabels tenants, List<CohortStats> cohorts) {
        Map<Tags, MultiGauge.Row<?>> rows = new LinkedHashMap<>();
        for (CohortStats c : cohorts) {
            Tags tags = tenants.tag(Tags.of("rollout", c.id.rolloutId, "cohort", c.id.cohort), c.id.tenantId);
            rows.putIfAbsent(tags, MultiGauge.Row.of(tags, c.failureRate()));
        }
        return List.copyOf(rows.values());
    }
}
