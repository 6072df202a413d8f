package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
import io.updraft.telemetry.domain.PolicyRule;
import io.updraft.telemetry.domain.RuleRun;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the referee keeps per {@code rolloutId|cohort}: the rollout's policy (null until RolloutCreated: the defaults
 * apply), totals since the rollout started, the baseline its devices brought from their previous release, each rule's
 * analysis run, and the one rollback decision ({@code decision} null until taken; never taken twice).
 */
public record CohortState(String rolloutId, String cohort, CohortPolicy policy, Figures totals, Figures baseline,
        Map<PolicyRule, RuleRun> runs, String decision, int lastWave, String lastRelease, long since) {
    static final Serde<CohortState> SERDE = CompactSerde.of(CohortState.class, (out, state) -> state.write(out),
            CohortState::read);

    public CohortState {
        runs = runs == null || runs.isEmpty() ? Map.of() : Map.copyOf(runs);
    }

    /** @param since epoch millis of the cohort's first signal: where an evaluation window of "all of it" starts */
    public static CohortState start(String rolloutId, String cohort, long since) {
        return new CohortState(rolloutId, cohort, null, Figures.NONE, Figures.NONE, Map.of(), null, 0, null, since);
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
                release, Math.min(since, at));
    }

    public CohortState withRun(PolicyRule rule, RuleRun run) {
        Map<PolicyRule, RuleRun> newRuns = new EnumMap<>(PolicyRule.class);
        newRuns.putAll(runs);
        newRuns.put(rule, run);
        return new CohortState(rolloutId, cohort, policy, totals, baseline, newRuns, decision, lastWave, lastRelease, since);
    }

    public CohortState decidedBecause(String reason) {
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, reason, lastWave, lastRelease, since);
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
        return new CohortState(rolloutId, cohort, policy, totals, baseline, runs, CompactSerde.readString(in),
                in.readInt(), CompactSerde.readString(in), in.readLong());
    }
}
