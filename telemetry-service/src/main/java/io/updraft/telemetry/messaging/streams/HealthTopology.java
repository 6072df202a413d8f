package io.updraft.telemetry.messaging.streams;

import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.RolloutEvent;
import io.updraft.telemetry.domain.CohortPolicy;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.Stores;

/**
 * <pre>
 * device-reports ─┐                  (re-keyed rolloutId|cohort; TENANT/rolloutId|cohort, see ScopedIds)
 *                 ├─ DeviceTracker ──────────────┐
 * device-telemetry┘  [devices, heartbeats,       ├─ repartition ─ CohortReferee ─▶ rollbacks
 *                     pending health]            │
 * rollout-events ── RolloutCreated → POLICY ─────┘               [cohorts, windows]
 *                    (per cohort, with its size)
 * </pre>
 * Run with {@code processing.guarantee=at_least_once} (the service's default): a crash replays what was processed
 * since the last commit; every signal carries its input partition and position, the referee counts each position once
 * (its marks, in the cohort's state) and each device silent once, every store writes only after the task's producer
 * acknowledged what was sent (ADR 0027), and a decision sent again has the same event id. Or with
 * {@code exactly_once_v2}: a decision, its RollbackTriggered and the offsets of the input that led to it commit
 * together.
 */
public final class HealthTopology {
    public static final String DEVICE_STORE = "device-state";
    public static final String HEARTBEAT_STORE = "heartbeat-due";
    public static final String COHORT_STORE = "cohort-state";
    public static final String WINDOW_STORE = "cohort-windows";
    public static final String PENDING_HEALTH_STORE = "pending-health";
    /** Cohort states a referee task keeps as objects (a handful per rollout; the oldest are read again when needed). */
    static final int COHORTS_KEPT = 10_000;
    /** The repartition topic suffix of the cohort signals. */
    public static final String SIGNALS = "cohort-signals";

    private HealthTopology() {
    }

    /** @param policyOf the policy a RolloutCreated sets (its own figures over the configured rest) */
    public static Topology build(TopologySettings settings, Function<RolloutCreated, CohortPolicy> policyOf) {
        return build(settings, policyOf, () -> new DeviceTracker(settings));
    }

    /**
     * The same topology with another processor of the device topics in the tracker's place, given the tracker's
     * stores (the topology benchmark's floor: this shape with a processor that only parses).
     */
    public static Topology build(TopologySettings settings, Function<RolloutCreated, CohortPolicy> policyOf,
            ProcessorSupplier<byte[], byte[], String, CohortSignal> tracker) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> strings = Serdes.String();

        // read and changed on every report or signal: kept as objects (WriteBackStore), written to RocksDB and the
        // changelog in the compact binary form (CompactSerde) once per commit and key; the windows cached: a key
        // written many times within a commit interval reaches RocksDB and its changelog once
        builder.addStateStore(WriteBackStore.bounded(DEVICE_STORE, strings, DeviceState.SERDE,
                settings.deviceObjectsPerTask()));
        // every store writes only after the task's producer acknowledged what was sent before (ADR 0027): a state
        // is never kept ahead of its signals or its decision; the windows are written after the cohorts' marks
        builder.addStateStore(WriteBackStore.bounded(HEARTBEAT_STORE, strings, HeartbeatDue.SERDE,
                settings.deviceObjectsPerTask()));
        builder.addStateStore(WriteBackStore.mirrored(PENDING_HEALTH_STORE, strings, PendingHealth.SERDE));
        builder.addStateStore(WriteBackStore.bounded(COHORT_STORE, strings, CohortState.SERDE, COHORTS_KEPT));
        builder.addStateStore(OrderedWindowStore.after(COHORT_STORE, Stores.windowStoreBuilder(
                Stores.persistentWindowStore(WINDOW_STORE, settings.retention(), settings.window(), false), strings,
                CompactSerde.FIGURES).withCachingEnabled()));

        KStream<String, CohortSignal> fromDevices = builder
                .stream(List.of(settings.deviceReports(), settings.deviceTelemetry()),
                        // the key (the device id) is never decoded: the tracker reads the device from the event
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("device-events"))
                .process(tracker, Named.as("device-tracker"), DEVICE_STORE, HEARTBEAT_STORE, PENDING_HEALTH_STORE);

        KStream<String, CohortSignal> fromRollouts = builder
                .stream(settings.rolloutEvents(), Consumed.with(strings, strings).withName("rollout-events"))
                .process(() -> new PolicySignals(policyOf), Named.as("rollout-policies"));

        fromDevices.merge(fromRollouts, Named.as("all-signals"))
                .repartition(Repartitioned.with(strings, CohortSignal.SERDE).withName(SIGNALS))
                .process(() -> new CohortReferee(settings), Named.as("cohort-referee"), COHORT_STORE, WINDOW_STORE)
                .to(settings.rollbacks(), Produced.with(strings, strings).withName("rollback-decisions"));
        return builder.build();
    }

    /** Sends each policy signal of a rollout event, with the event's position (see {@link CohortSignal#position}). */
    private static final class PolicySignals implements Processor<String, String, String, CohortSignal> {
        private final Function<RolloutCreated, CohortPolicy> policyOf;
        private ProcessorContext<String, CohortSignal> context;

        PolicySignals(Function<RolloutCreated, CohortPolicy> policyOf) {
            this.policyOf = policyOf;
        }

        @Override
        public void init(ProcessorContext<String, CohortSignal> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
            RecordMetadata metadata = context.recordMetadata().orElse(null);
            for (KeyValue<String, CohortSignal> signal : policySignals(record.value(), policyOf)) {
                // one signal per cohort and record: each cohort's marks see the record's position once
                CohortSignal positioned = metadata == null ? signal.value
                        : signal.value.from(CohortSignal.sourceOf(CohortSignal.SourceTopic.ROLLOUT_EVENTS,
                                metadata.partition()), CohortSignal.positionOf(metadata.offset(), 0));
                context.forward(record.withKey(signal.key).withValue(positioned));
            }
        }
    }

    /** A RolloutCreated tells each cohort it names its policy (cohorts it does not name keep the defaults). */
    private static List<KeyValue<String, CohortSignal>> policySignals(String json,
            Function<RolloutCreated, CohortPolicy> policyOf) {
        RolloutEvent event;
        try {
            event = EventJson.read(json, RolloutEvent.class);
        } catch (MalformedEventException e) {
            return List.of(); // parked on rollout-events.dlq by the SmallRye consumer
        }
        if (!(event instanceof RolloutCreated created)) {
            return List.of();
        }
        CohortPolicy policy;
        String rollout;
        try {
            policy = policyOf.apply(created);
            // the rollout's tenant's cohorts only (ADR 0021): TENANT/rolloutId, DEFAULT's bare
            rollout = ScopedIds.of(EventJson.tenantOf(json), created.rolloutId());
        } catch (IllegalArgumentException | MalformedEventException e) {
            return List.of(); // unusable policy or tenant: parked by the SmallRye consumer, the defaults stay
        }
        return created.cohorts().stream()
                .map(cohort -> CohortSignal.policy(rollout, cohort,
                        policy.withCohortDevices(created.cohortDevices().getOrDefault(cohort, 0))))
                .map(signal -> KeyValue.pair(signal.cohortKey(), signal))
                .toList();
    }
}
