package io.updraft.telemetry.messaging.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.updraft.telemetry.persistence.RolloutRepository;
import io.updraft.telemetry.service.TenantLabels;
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
 * The health topology's figures per rollout and cohort as Prometheus gauges (with a bounded {@code tenant} label in
 * multi mode, {@link TenantLabels}). Each replica exports the cohorts its
 * own tasks hold (Prometheus scrapes every replica, so together they cover all), of rollouts that have not finished
 * (as the read model knows them): label cardinality stays bounded.
 */
@ApplicationScoped
public class CohortGauges {
    static final int MAX_SERIES = 1000;

    private final KafkaStreams streams;
    private final RolloutRepository rollouts;
    private final TenantLabels tenants;
    private final MultiGauge crashRate;
    private final MultiGauge baselineCrashRate;
    private final MultiGauge missedHeartbeatRatio;
    private final MultiGauge healthReports;
    private final MultiGauge decided;

    @Inject
    public CohortGauges(KafkaStreams streams, RolloutRepository rollouts, TenantLabels tenants,
            MeterRegistry meters) {
        this.streams = streams;
        this.rollouts = rollouts;
        this.tenants = tenants;
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
        // as the topology keys rollouts: TENANT/rolloutId, DEFAULT's bare
        Set<String> unfinished = rollouts.unfinishedKeys(MAX_SERIES);
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
        tenants.meet(cohorts.stream().map(c -> ScopedIds.tenantOf(c.rolloutId())).toList());
        crashRate.register(rows(tenants, cohorts, c -> c.totals().crashRate()), true);
        baselineCrashRate.register(rows(tenants, cohorts, c -> c.baseline().crashRate()), true);
        missedHeartbeatRatio.register(rows(tenants, cohorts, c -> c.totals().missedHeartbeatRatio()), true);
        healthReports.register(rows(tenants, cohorts, c -> c.totals().healthReports()), true);
        decided.register(rows(tenants, cohorts, c -> c.decided() ? 1 : 0), true);
    }

    /** The rollout label is the rollout's own id; cohorts of tenants folded into {@code other}: the first stands. */
    static List<MultiGauge.Row<?>> rows(TenantLabels tenants, List<CohortState> cohorts,
            java.util.function.ToDoubleFunction<CohortState> value) {
        java.util.Map<Tags, MultiGauge.Row<?>> rows = new java.util.LinkedHashMap<>();
        for (CohortState c : cohorts) {
            Tags tags = tenants.tag(Tags.of("rollout", ScopedIds.idOf(c.rolloutId()), "cohort", c.cohort()),
                    ScopedIds.tenantOf(c.rolloutId()));
            rows.putIfAbsent(tags, MultiGauge.Row.of(tags, value.applyAsDouble(c)));
        }
        return List.copyOf(rows.values());
    }
}
