package io.updraft.telemetry.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * {@code updraft.cohort.failure.rate{rollout,cohort}} for unfinished rollouts only, so label cardinality stays
 * bounded. Every replica refreshes from the database: each one's scrape shows the same figures.
 */
@ApplicationScoped
public class FailureRateGauge {
    /** A ceiling on series, whatever happens to the number of running rollouts. */
    static final int MAX_SERIES = 1000;

    private final CohortStatsRepository stats;
    private final MultiGauge gauge;

    @Inject
    public FailureRateGauge(CohortStatsRepository stats, MeterRegistry meters) {
        this.stats = stats;
        this.gauge = MultiGauge.builder("updraft.cohort.failure.rate")
                .description("Failed / finished installs per cohort of each unfinished rollout")
                .register(meters);
    }

    @Scheduled(identity = "failure-rate-gauge", every = "${updraft.telemetry.window:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void refresh() {
        // overwrite = true drops the series of rollouts that finished since the last refresh
        gauge.register(stats.ofUnfinishedRollouts(MAX_SERIES).stream()
                .map(c -> MultiGauge.Row.of(Tags.of("rollout", c.id.rolloutId, "cohort", c.id.cohort), c.failureRate()))
                .toList(), true);
    }
}
