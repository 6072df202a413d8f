package io.updraft.telemetry.messaging.streams;

import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent.Evidence;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.UpdraftEvent;
import io.updraft.support.kafka.EventRecords;
import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
import io.updraft.telemetry.domain.PolicyRule.Measurement;
import io.updraft.telemetry.domain.PolicyRule;
import io.updraft.telemetry.domain.RuleRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.jboss.logging.Logger;

/**
 * Per {@code rolloutId|cohort}: adds each signal to the cohort's totals and to its window (per wave × release), measures
 * every rule the signal concerns over that rule's evaluation window, and when a rule's analysis fails emits the one
 * RollbackTriggered of the cohort. The decision is kept in the cohort's state, which exactly-once processing commits
 * together with the output record and the input offsets: a second instance, a restart or a redelivered input never
 * emits it again. Under at-least-once processing a replay may emit it again, with the same event id
 * ({@link #decisionId}), which consumers' inboxes skip; the cohort's marks ({@link CohortState#counted}) keep a
 * replayed signal from being counted twice.
 */
class CohortReferee implements Processor<String, CohortSignal, String, String> {
    private static final Logger LOG = Logger.getLogger(CohortReferee.class);
    static final String SOURCE = "telemetry-service";

    private final TopologySettings settings;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, CohortState> cohorts;
    private WindowStore<String, Figures> windows;

    CohortReferee(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.cohorts = context.getStateStore(HealthTopology.COHORT_STORE);
        this.windows = context.getStateStore(HealthTopology.WINDOW_STORE);
    }

    @Override
    public void process(Record<String, CohortSignal> record) {
        CohortSignal signal = record.value();
        if (signal == null || signal.rolloutId() == null || signal.cohort() == null) {
            return;
        }
        long at = record.timestamp();
        CohortState before = cohorts.get(record.key());
        CohortState start = before == null ? CohortState.start(signal.rolloutId(), signal.cohort(), at) : before;
        CohortPolicy policy = signal.policy() != null ? signal.policy()
                : start.policy() == null ? settings.defaults() : start.policy();
        Figures delta;
        if (signal.kind() == CohortSignal.Kind.HEALTH && signal.source() != CohortSignal.NO_SOURCE) {
            // a cumulative sum of one health window: count what it holds beyond the sum counted last
            long windowStart = at - Math.floorMod(at, settings.window().toMillis());
            String key = CohortState.healthKey(signal, windowStart);
            CohortState.HealthMark mark = start.healthMark(key);
            if (mark != null && signal.position() <= mark.last()) {
                return; // sent again (a replay), or an older sum of the window: counted
            }
            if (mark == null || signal.firstPosition() > mark.last()) {
                delta = signal.health(); // a new sum: every report in it is new
            } else if (mark.first() == signal.firstPosition()) {
                delta = signal.health().minus(mark.counted());
            } else {
                // another cut of reports counted before: a replay that interleaved the two device topics otherwise
                // than the first attempt and so attributed a report differently. Which of its reports are new cannot
                // be told from a sum; none counts now, and what the sum gains from here on counts (at most the
                // reports between the counted sum's last and this one's go uncounted: never a report twice)
                delta = Figures.NONE;
            }
            start = start.withHealthMark(key, new CohortState.HealthMark(windowStart, signal.firstPosition(),
                    signal.position(), signal.health()));
        } else {
            if (start.counted(signal)) {
                return; // sent again (a replay after a crash, a moved task): counted when it first came
            }
            delta = deltaOf(signal, policy, start);
            start = start.markedAt(signal);
            if (delta.heartbeatsMissed() > 0 && signal.device() != CohortSignal.NO_DEVICE) {
                start = start.withSilent(signal.device());
            }
        }
        CohortState state = start.with(signal, delta, at);
        addToWindow(signal, delta, at);
        if (!state.decided()) {
            state = judge(state, signal, at);
        }
        cohorts.put(record.key(), state);
    }

    /** What a signal adds to the cohort's figures: the per-device signals are counted here, by the rollout's rules. */
    Figures deltaOf(CohortSignal signal, CohortPolicy policy, CohortState state) {
        return switch (signal.kind()) {
            case INSTALL_SUCCEEDED -> Figures.of(1, 0, 0, 0, 0, 0);
            case INSTALL_FAILED -> Figures.of(0, 1, 0, 0, 0, 0);
            case INSTALL_BOOT_FAILED -> Figures.of(0, 1, 0, 0, 1, 0);
            case BOOT_FAILED_REPORTED -> Figures.of(0, 0, 0, 0, 1, 0);
            case HEALTH -> signal.health();
            case HEARTBEAT_MISSED, HEARTBEAT_RETURNED -> heartbeat(signal, policy, state);
            case DEVICE_HEALTH -> {
                boolean was = signal.wasUnhealthy() || crashLooping(signal.crashLog(), signal.crashesBefore(), policy);
                boolean is = signal.unhealthy()
                        || crashLooping(signal.crashLog(), signal.crashLog().length / 2, policy);
                yield !was && is ? Figures.of(0, 0, 0, 0, 0, 1) : Figures.NONE;
            }
            case BASELINE, POLICY -> Figures.NONE;
        };
    }

    /**
     * A device is counted silent once, at the first silence checkpoint at or past its rollout's silence (capped by
     * the longest the tracker waits); one that comes back first is counted back in time — or silent, if it came back
     * later than the silence but before a checkpoint counted it. Whether it was counted silent before is the cohort's
     * own record ({@link CohortState#countedSilent}): a checkpoint is sent by a wall-clock punctuation, and after a
     * crash under at-least-once the tracker's heartbeat state may be older than what it sent, so the signal's own
     * count of checkpoints passed cannot say. (A signal of the format before devices were named falls back to it.)
     */
    private Figures heartbeat(CohortSignal signal, CohortPolicy policy, CohortState state) {
        long step = settings.heartbeatStep().toMillis();
        long silence = Math.min(policy.silence().toMillis(), settings.maxSilence().toMillis());
        boolean countedBefore = signal.device() == CohortSignal.NO_DEVICE ? signal.checkpoints() * step >= silence
                : state.countedSilent(signal.device());
        if (signal.kind() == CohortSignal.Kind.HEARTBEAT_MISSED) {
            return !countedBefore && signal.silentMillis() >= silence ? Figures.of(0, 0, 0, 1, 0, 0) : Figures.NONE;
        }
        if (countedBefore) {
            return Figures.NONE; // already counted silent at a checkpoint
        }
        return signal.silentMillis() >= silence ? Figures.of(0, 0, 0, 1, 0, 0) : Figures.of(0, 0, 1, 0, 0, 0);
    }

    /** At least the rule's crashes within its crash-loop window (zero: since the install) in the log's first pairs. */
    static boolean crashLooping(long[] log, int pairs, CohortPolicy policy) {
        long window = policy.crashLoopWindow().toMillis();
        for (int i = 0; i < pairs; i++) {
            long from = log[2 * i];
            long crashes = 0;
            for (int j = 0; j < pairs; j++) {
                long at = log[2 * j];
                if (at >= from && (window == 0 || at - from <= window)) {
                    crashes += log[2 * j + 1];
                }
            }
            if (crashes >= policy.crashLoopCrashes()) {
                return true;
            }
        }
        return false;
    }

    private CohortState judge(CohortState state, CohortSignal signal, long at) {
        CohortPolicy policy = state.policy() == null ? settings.defaults() : state.policy();
        for (PolicyRule rule : PolicyRule.values()) {
            if (!measuredOn(rule, signal.kind())) {
                continue;
            }
            Duration window = policy.windowOf(rule);
            // a window holds at most the totals: too small a total sample needs no scan of the windows
            Measurement measurement = rule.measure(policy, state.totals(), state.totals(), state.baseline());
            if (!window.isZero() && measurement.verdict() != PolicyRule.Verdict.INCONCLUSIVE) {
                measurement = rule.measure(policy, windowed(state, at - window.toMillis(), at), state.totals(),
                        state.baseline());
            }
            RuleRun run = state.runOf(rule).after(measurement);
            state = state.withRun(rule, run);
            if (run.failedUnder(policy)) {
                String reason = reasonOf(measurement, run, policy);
                long windowStart = window.isZero() ? state.since() : at - window.toMillis();
                state = state.decidedBecause(reason);
                trigger(state, policy, measurement, reason, windowStart, at);
                break;
            }
        }
        return state;
    }

    /** Whether a signal of this kind can change this rule's measurement (only then is it measured again). */
    static boolean measuredOn(PolicyRule rule, CohortSignal.Kind kind) {
        return kind == CohortSignal.Kind.POLICY || switch (rule) {
            case FAILED_INSTALLS -> kind == CohortSignal.Kind.INSTALL_FAILED
                    || kind == CohortSignal.Kind.INSTALL_SUCCEEDED || kind == CohortSignal.Kind.INSTALL_BOOT_FAILED;
            case BOOT_FAILURES -> kind == CohortSignal.Kind.INSTALL_BOOT_FAILED
                    || kind == CohortSignal.Kind.BOOT_FAILED_REPORTED || kind == CohortSignal.Kind.INSTALL_SUCCEEDED
                    || kind == CohortSignal.Kind.INSTALL_FAILED;
            case UNHEALTHY_DEVICES -> kind == CohortSignal.Kind.DEVICE_HEALTH
                    || kind == CohortSignal.Kind.INSTALL_SUCCEEDED;
            case SILENT_DEVICES -> kind == CohortSignal.Kind.HEARTBEAT_MISSED
                    || kind == CohortSignal.Kind.HEARTBEAT_RETURNED;
            case CRASH_REGRESSION -> kind == CohortSignal.Kind.HEALTH || kind == CohortSignal.Kind.BASELINE;
        };
    }

    private void addToWindow(CohortSignal signal, Figures delta, long at) {
        if (delta == Figures.NONE) {
            return;
        }
        long windowStart = at - Math.floorMod(at, settings.window().toMillis());
        String key = windowKey(signal);
        Figures figures = windows.fetch(key, windowStart);
        windows.put(key, (figures == null ? Figures.NONE : figures).plus(delta), windowStart);
    }

    /** The cohort's figures over every wave and release, in the windows that start within [from, to]. */
    private Figures windowed(CohortState state, long from, long to) {
        String prefix = CohortSignal.keyOf(state.rolloutId(), state.cohort()) + "|";
        Figures sum = Figures.NONE;
        long firstWindow = from - Math.floorMod(from, settings.window().toMillis());
        try (KeyValueIterator<Windowed<String>, Figures> all = windows.fetch(prefix, prefix + '\uffff', firstWindow,
                to)) {
            while (all.hasNext()) {
                sum = sum.plus(all.next().value);
            }
        }
        return sum;
    }

    private void trigger(CohortState state, CohortPolicy policy, Measurement measurement, String reason,
            long windowStart, long windowEnd) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Figures totals = state.totals();
        CohortPolicy.Limits failedInstalls = policy.failedInstalls();
        // the cohort's rollout is scoped (ScopedIds): the event names the rollout's own id, the record its tenant
        String tenant = ScopedIds.tenantOf(state.rolloutId());
        String rolloutId = ScopedIds.idOf(state.rolloutId());
        RollbackTriggered triggered = new RollbackTriggered(decisionId(state.rolloutId(), state.cohort()), now,
                UpdraftEvent.SCHEMA_VERSION, rolloutId, state.cohort(), reason,
                new Evidence(totals.succeeded(), totals.failed(), totals.failureRate(),
                        failedInstalls.rate() == null ? 0 : failedInstalls.rate(),
                        (int) policy.sampleFor(failedInstalls.minSample()), Instant.ofEpochMilli(windowStart),
                        Instant.ofEpochMilli(windowEnd), measurement.rule().policyName(), measurement.counted(),
                        measurement.judged(), measurement.observed(), measurement.limit()));
        // DEFAULT's: the bytes, key and headers of before; another tenant's: its "tenant", ce_tenant, TENANT/rolloutId
        String payload = EventJson.write(tenant, triggered);
        ProducerRecord<String, String> withHeaders = EventRecords.toRecord(tenant, SOURCE, triggered, payload);
        Record<String, String> out = new Record<>(withHeaders.key(), payload, windowEnd);
        withHeaders.headers().forEach(h -> out.headers().add(h.key(), h.value()));
        context.forward(out);
        // how long after the deciding record's timestamp (its producer's clock): lag of the topology, or of the outbox
        LOG.infof("rollback triggered for rollout %s cohort %s: %s (%d ms after the deciding record's timestamp)",
                withHeaders.key(), state.cohort(), reason, now.toEpochMilli() - windowEnd);
    }

    /**
     * One id per cohort of a rollout ({@code rolloutId} scoped, so another tenant's same-named cohort has its own and
     * DEFAULT's is the id of before): should a consumer ever read a record of an aborted transaction
     * (read_uncommitted), the retried one carries the same id and its inbox skips it.
     */
    static String decisionId(String rolloutId, String cohort) {
        return UUID.nameUUIDFromBytes(("rollback|" + rolloutId + "|" + cohort).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static String reasonOf(Measurement measurement, RuleRun run, CohortPolicy policy) {
        if (policy.failureLimit() == 0 && policy.consecutiveFailures() == 0) {
            return measurement.reason();
        }
        return measurement.reason() + String.format(Locale.ROOT, " (%d failed measurements, %d in a row)",
                run.failed(), run.consecutiveFailed());
    }

    static String windowKey(CohortSignal signal) {
        return signal.cohortKey() + "|" + signal.wave() + "|" + (signal.release() == null ? "" : signal.release());
    }
}
