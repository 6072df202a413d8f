package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
import io.updraft.telemetry.domain.PolicyRule;
import io.updraft.telemetry.domain.RuleRun;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the referee keeps per {@code rolloutId|cohort}: the rollout's policy (null until RolloutCreated: the defaults
 * apply), totals since the rollout started, the baseline its devices brought from their previous release, each rule's
 * analysis run, and the one rollback decision ({@code decision} null until taken; never taken twice).
 * <p>
 * And what it has counted, so that a signal sent again is not counted twice (at-least-once processing replays what
 * happened since the last commit): {@code marks} holds per input partition ({@link CohortSignal#source}) the highest
 * position counted — signals of one partition reach the cohort in the order of their positions, so one at or below
 * the mark was counted before; {@code healthMarks} holds per input partition and health window the tracker's
 * cumulative sum counted last ({@link HealthMark}); {@code silent} the devices ({@link CohortSignal#deviceOf}, sorted)
 * counted silent, so that a silence checkpoint sent again — it comes from a wall-clock punctuation, with no input
 * position — counts nothing. All three are part of the value the figures are part of: one store write, one changelog
 * record, never one without the other. {@code silent} grows by 8 bytes per silent device of the cohort.
 */
public record CohortState(String rolloutId, String cohort, CohortPolicy policy, Figures totals, Figures baseline,
        Map<PolicyRule, RuleRun> runs, String decision, int lastWave, String lastRelease, long since,
        Map<Integer, Long> marks, Map<String, HealthMark> healthMarks, long[] silent) {
    static final Serde<CohortState> SERDE = CompactSerde.of(CohortState.class, (out, state) -> state.write(out),
            CohortState::read);
    /** Health windows remembered per cohort (the oldest go first): far more than a replay can reach back. */
    static final int HEALTH_MARKS_KEPT = 256;

    /**
     * The tracker's cumulative sum of one health window from one input partition, as counted last: its first
     * report's offset (a sum the tracker retired and started again has another), its last report's offset, and
     * the figures.
     */
    public record HealthMark(long windowStart, long first, long last, Figures counted) {
    }

    private static final long[] NO_SILENT = new long[0];

    public CohortState {
        silent = silent == null ? NO_SILENT : silent;
        runs = runs == null || runs.isEmpty() ? Map.of() : Map.copyOf(runs);
        marks = marks == null || marks.isEmpty() ? Map.of() : Map.copyOf(marks);
        healthMarks = healthMarks == null || healthMarks.isEmpty() ? Map.of() : Map.copyOf(healthMarks);
    }

    /** @param since epoch millis of the cohort's first signal: where an evaluation window of "all of it" starts */
    public static CohortState start(String rolloutId, String cohort, long since) {
        return new CohortState(rolloutId, cohort, null, Figures.NONE, Figures.NONE, Map.of(), null, 0, null, since,
                Map.of(), Map.of(), NO_SILENT);
    }

    /** Whether the signal was counted before (a replay): its position is at or below its partition's mark. */
    public boolean counted(CohortSignal signal) {
        if (signal.source() == CohortSignal.NO_SOURCE) {
            return false;
        }
        Long mark = marks.get(signal.source());
        return mark != null && signal.position() <= mark;
    }

    /** The state with the signal's position as its partition's mark. */
    public CohortState markedAt(CohortSignal signal) {
        if (signal.source() == CohortSignal.NO_SOURCE) {
            return this;
        }
        Map<Integer, Long> newMarks = new HashMap<>(marks);
        newMarks.put(signal.source(), signal.position());
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, decision, lastWave, lastRelease,
                since, newMarks, healthMarks, silent);
    }

    /** The key of a health window's mark: input partition, wave, release, window start. */
    static String healthKey(CohortSignal signal, long windowStart) {
        return signal.source() + "|" + signal.wave() + "|" + signal.release() + "|" + windowStart;
    }

    public HealthMark healthMark(String key) {
        return healthMarks.get(key);
    }

    /** The state with {@code mark} for the health window {@code key} (the oldest windows beyond the kept dropped). */
    public CohortState withHealthMark(String key, HealthMark mark) {
        Map<String, HealthMark> newMarks = new HashMap<>(healthMarks);
        newMarks.put(key, mark);
        if (newMarks.size() > HEALTH_MARKS_KEPT) {
            TreeMap<Long, String> byStart = new TreeMap<>();
            newMarks.forEach((k, m) -> byStart.put(m.windowStart(), k));
            newMarks.remove(byStart.firstEntry().getValue());
        }
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, decision, lastWave, lastRelease,
                since, marks, newMarks, silent);
    }

    /** Records compare arrays by reference; the set of silent devices is compared by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CohortState that && lastWave == that.lastWave && since == that.since
                && java.util.Objects.equals(rolloutId, that.rolloutId) && java.util.Objects.equals(cohort, that.cohort)
                && java.util.Objects.equals(policy, that.policy) && totals.equals(that.totals)
                && baseline.equals(that.baseline) && runs.equals(that.runs)
                && java.util.Objects.equals(decision, that.decision)
                && java.util.Objects.equals(lastRelease, that.lastRelease) && marks.equals(that.marks)
                && healthMarks.equals(that.healthMarks) && java.util.Arrays.equals(silent, that.silent);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(rolloutId, cohort, totals, decision, since, marks.size(), silent.length);
    }

    /** Whether the device ({@link CohortSignal#deviceOf}) was counted silent. */
    public boolean countedSilent(long device) {
        return java.util.Arrays.binarySearch(silent, device) >= 0;
    }

    /** The state with the device counted silent (a copy of the set: a cohort counts each device silent once). */
    public CohortState withSilent(long device) {
        int at = java.util.Arrays.binarySearch(silent, device);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        long[] more = new long[silent.length + 1];
        System.arraycopy(silent, 0, more, 0, insert);
        more[insert] = device;
        System.arraycopy(silent, insert, more, insert + 1, silent.length - insert);
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, decision, lastWave, lastRelease,
                since, marks, healthMarks, more);
    }

    public boolean decided() {
        return decision != null;
    }

    public RuleRun runOf(PolicyRule rule) {
        return runs.getOrDefault(rule, RuleRun.NEW);
    }

    /**
     * @param delta what the signal adds to the cohort's figures, as the referee counted it by the policy
     * @param at the signal's timestamp: signals of several devices arrive out of timestamp order, so the cohort's
     *        first signal ({@code since}, where a window of "all of it" starts) is the earliest seen, not the first
     */
    public CohortState with(CohortSignal signal, Figures delta, long at) {
        CohortPolicy newPolicy = signal.policy() != null ? signal.policy() : policy;
        Figures newBaseline = signal.kind() == CohortSignal.Kind.BASELINE
                ? baseline.plus(new Figures(0, 0, signal.baselineReports(), 0, 0, 0, signal.baselineCrashes(), 0, 0,
                        0, 0, null, null))
                : baseline;
        int wave = signal.wave() > 0 ? signal.wave() : lastWave;
        String release = signal.release() != null ? signal.release() : lastRelease;
        return new CohortState(rolloutId, cohort, newPolicy, totals.plus(delta), newBaseline, runs, decision, wave,
                release, Math.min(since, at), marks, healthMarks, silent);
    }

    public CohortState withRun(PolicyRule rule, RuleRun run) {
        Map<PolicyRule, RuleRun> newRuns = new EnumMap<>(PolicyRule.class);
        newRuns.putAll(runs);
        newRuns.put(rule, run);
        return new CohortState(rolloutId, cohort, policy, totals, baseline, newRuns, decision, lastWave, lastRelease, since,
                marks, healthMarks, silent);
    }

    public CohortState decidedBecause(String reason) {
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, reason, lastWave, lastRelease, since,
                marks, healthMarks, silent);
    }

    private void write(DataOutput out) throws IOException {
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeBoolean(policy != null);
        if (policy != null) {
            CompactSerde.writePolicy(out, policy);
        }
        CompactSerde.writeFigures(out, totals);
        CompactSerde.writeFigures(out, baseline);
        out.writeInt(runs.size());
        for (Map.Entry<PolicyRule, RuleRun> run : runs.entrySet()) {
            out.writeUTF(run.getKey().name());
            out.writeInt(run.getValue().failed());
            out.writeInt(run.getValue().consecutiveFailed());
        }
        CompactSerde.writeString(out, decision);
        out.writeInt(lastWave);
        CompactSerde.writeString(out, lastRelease);
        out.writeLong(since);
        out.writeInt(marks.size());
        for (Map.Entry<Integer, Long> mark : marks.entrySet()) {
            out.writeInt(mark.getKey());
            out.writeLong(mark.getValue());
        }
        out.writeInt(healthMarks.size());
        for (Map.Entry<String, HealthMark> mark : healthMarks.entrySet()) {
            out.writeUTF(mark.getKey());
            out.writeLong(mark.getValue().windowStart());
            out.writeLong(mark.getValue().first());
            out.writeLong(mark.getValue().last());
            CompactSerde.writeFigures(out, mark.getValue().counted());
        }
        out.writeInt(silent.length);
        for (long device : silent) {
            out.writeLong(device);
        }
    }

    private static CohortState read(DataInput in) throws IOException {
        String rolloutId = CompactSerde.readString(in);
        String cohort = CompactSerde.readString(in);
        CohortPolicy policy = in.readBoolean() ? CompactSerde.readPolicy(in) : null;
        Figures totals = CompactSerde.readFigures(in);
        Figures baseline = CompactSerde.readFigures(in);
        int runCount = in.readInt();
        Map<PolicyRule, RuleRun> runs = new EnumMap<>(PolicyRule.class);
        for (int i = 0; i < runCount; i++) {
            runs.put(PolicyRule.valueOf(in.readUTF()), new RuleRun(in.readInt(), in.readInt()));
        }
        String decision = CompactSerde.readString(in);
        int lastWave = in.readInt();
        String lastRelease = CompactSerde.readString(in);
        long since = in.readLong();
        int markCount = in.readInt();
        Map<Integer, Long> marks = new HashMap<>();
        for (int i = 0; i < markCount; i++) {
            marks.put(in.readInt(), in.readLong());
        }
        int healthMarkCount = in.readInt();
        Map<String, HealthMark> healthMarks = new HashMap<>();
        for (int i = 0; i < healthMarkCount; i++) {
            healthMarks.put(in.readUTF(), new HealthMark(in.readLong(), in.readLong(), in.readLong(),
                    CompactSerde.readFigures(in)));
        }
        long[] silent;
        try {
            silent = new long[in.readInt()];
        } catch (EOFException e) {
            silent = NO_SILENT; // a state written before the set was kept: no device counted silent by it
        }
        for (int i = 0; i < silent.length; i++) {
            silent[i] = in.readLong();
        }
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, decision, lastWave, lastRelease,
                since, marks, healthMarks, silent);
    }
}
