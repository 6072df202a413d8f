package io.updraft.telemetry.messaging.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.updraft.telemetry.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The health topology's figures per rollout and cohort as Prometheus gauges. Each replica exports the cohorts its
 * own tasks hold (Prometheus scrapes every replica, so together they cover all), of rollouts that have not finished
 * (as the read model knows them): label cardinality stays bounded.
 */
@ApplicationScoped
public class CohortGauges {
    static final int MAX_SERIES = 1000;

    private final KafkaStreams streams;
    private final RolloutRepository rollouts;
    private final MultiGauge crashRate;
    private final MultiGauge baselineCrashRate;
    private final MultiGauge missedHeartbeatRatio;
    private final MultiGauge healthReports;
    private final MultiGauge decided;

    @Inject
    public CohortGauges(KafkaStreams streams, RolloutRepository rollouts, MeterRegistry meters) {
        this.streams = streams;
        this.rollouts = rollouts;
        this.crashRate = MultiGauge.builder("updraft.cohort.crash.rate")
                .description("Crashes per health report since the rollout started").register(meters);
        this.baselineCrashRate = MultiGauge.builder("updraft.cohort.baseline.crash.rate")
                .description("Crashes per health report of the cohort's devices on their previous release")
                .register(meters);
        this.missedHeartbeatRatio = MultiGauge.builder("updraft.cohort.missed.heartbeat.ratio")
                .description("Installed devices not heard from within the grace period / devices judged")
                .register(meters);
        this.healthReports = MultiGauge.builder("updraft.cohort.health.reports")
                .description("Health reports since the rollout started").register(meters);
        this.decided = MultiGauge.builder("updraft.cohort.rollback.decided")
                .description("1 once the cohort's rollback was triggered").register(meters);
    }

    @Scheduled(identity = "cohort-gauges", every = "${updraft.telemetry.window:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void refresh() {
        // like the failure-rate gauge: unfinished rollouts only, so series end with their rollout
        Set<String> unfinished = rollouts.unfinishedIds(MAX_SERIES);
        List<CohortState> cohorts = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, CohortState> store = streams.store(StoreQueryParameters
                    .fromNameAndType(HealthTopology.COHORT_STORE, QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, CohortState> all = store.all()) {
                while (all.hasNext() && cohorts.size() < MAX_SERIES) {
                    CohortState cohort = all.next().value;
                    if (unfinished.contains(cohort.rolloutId())) {
                        cohorts.add(cohort);
                    }
                }
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return; // rebalancing, restoring or stopping: keep the last figures until the next refresh
        }
        crashRate.register(rows(cohorts, c -> c.totals().crashRate()), true);
        baselineCrashRate.register(rows(cohorts, c -> c.baseline().crashRate()), true);
        missedHeartbeatRatio.register(rows(cohorts, c -> c.totals().missedHeartbeatRatio()), true);
        healthReports.register(rows(cohorts, c -> c.totals().healthReports()), true);
        decided.register(rows(cohorts, c -> c.decided() ? 1 : 0), true);
    }

    private static List<MultiGauge.Row<?>> rows(List<CohortState> cohorts,
            java.util.function.ToDoubleFunction<CohortState> value) {
        return cohorts.stream()
                .<MultiGauge.Row<?>>map(c -> MultiGauge.Row.of(Tags.of("rollout", c.rolloutId(), "cohort", c.cohort()),
                        value.applyAsDouble(c)))
                .toList();
    }
}
