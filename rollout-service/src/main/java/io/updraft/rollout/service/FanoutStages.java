package io.updraft.rollout.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a fan-out's time goes (issue 21): one timer, {@code updraft.rollout.fanout.stage}, with a {@code stage} tag per
 * stage of the POST's planning and of a dispatcher turn. Each stage is recorded once per create transaction or per
 * turn (the serialise/send split as sums over the turn's commands), never per command, so measuring costs nothing a
 * fan-out would notice. The sums over a fan-out, in Prometheus text {@code updraft_rollout_fanout_stage_seconds_sum},
 * are what the fan-out benchmark prints as its per-stage breakdown.
 */
@ApplicationScoped
public class FanoutStages {
    /** The tag values, in the order of a fan-out. */
    public enum Stage {
        /** The POST: the target set's {@code rollout_device} insert (with the strata it needs). */
        PLAN_ASSIGN,
        /** The POST: the rest of the create transaction's work (rollout, waves, cohorts, outbox, wave 1 opened). */
        PLAN_OTHER,
        /** The POST: the create transaction's commit (and its begin), measured around it by the resource. */
        PLAN_COMMIT,
        /** A turn: connection from the pool, custom plans, the next wave locked, the rate budget. */
        TURN_START,
        /** A turn: the installs the previous turn created, read back ({@code DispatchTurn#createdInstalls}). */
        CREATED_INSTALLS,
        /** A turn: the next chunk's insert, on the creator thread (overlaps serialise, send and the waits). */
        CREATE_NEXT_CHUNK,
        /** A turn: building each InstallRequested, its JSON and its record. */
        SERIALISE,
        /** A turn: {@code producer.send} of each record (the client's batching, compression, back-pressure). */
        SEND,
        /** A turn: the dispatcher thread waiting for the creator after sending. */
        AWAIT_CREATOR,
        /** A turn: waiting for every acknowledgement. */
        AWAIT_ACKS,
        /** A turn: both cursors moved (or the dispatch row deleted) and the rate budget saved. */
        MOVE_CURSORS,
        /** A turn: commit, and the connection back to the pool. */
        COMMIT;

        /** The tag value: {@code plan-assign}, {@code created-installs}, … */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final String METER = "updraft.rollout.fanout.stage";

    @Inject
    MeterRegistry meters;

    private final Map<Stage, Timer> timers = new EnumMap<>(Stage.class);
    /** When this thread's last create transaction's work ended (nanoTime), for {@link #planCommitted}. */
    private final ThreadLocal<long[]> planWorkEnded = ThreadLocal.withInitial(() -> new long[] { -1 });

    @PostConstruct
    void register() {
        for (Stage stage : Stage.values()) {
            timers.put(stage, Timer.builder(METER).tag("stage", stage.tag())
                    .description("time spent in one stage of a rollout's fan-out (POST planning, dispatcher turns)")
                    .register(meters));
        }
    }

    /** Records {@code nanos} (ignored when not positive: a stage the turn did not reach). */
    public void record(Stage stage, long nanos) {
        if (nanos > 0) {
            timers.get(stage).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The create transaction's work ended now: it began at {@code startedNanos}, of which the assign took some. */
    public void planned(long startedNanos, long assignNanos) {
        long now = System.nanoTime();
        record(Stage.PLAN_ASSIGN, assignNanos);
        record(Stage.PLAN_OTHER, now - startedNanos - assignNanos);
        planWorkEnded.get()[0] = now;
    }

    /** The create transaction (called at {@code calledNanos}) returned committed: the time since its work ended. */
    public void planCommitted(long calledNanos) {
        long[] ended = planWorkEnded.get();
        if (ended[0] >= calledNanos) {
            record(Stage.PLAN_COMMIT, System.nanoTime() - ended[0]);
        }
        ended[0] = -1;
    }
}
