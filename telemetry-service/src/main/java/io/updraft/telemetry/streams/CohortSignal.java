package io.updraft.telemetry.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * One thing that happened to a cohort of a rollout, re-keyed from its device (or its rollout) to
 * {@code rolloutId|cohort}: what the cohort referee aggregates and judges. A {@code HEALTH} signal carries the health
 * reports of one wave × release window that arrived since the tracker last flushed (see {@link PendingHealth}).
 */
public record CohortSignal(Kind kind, String rolloutId, String cohort, int wave, String release, Figures health,
        long baselineReports, long baselineCrashes, CohortPolicy policy) {
    static final Serde<CohortSignal> SERDE = CompactSerde.of(CohortSignal.class, (out, signal) -> signal.write(out),
            CohortSignal::read);

    /** Written as its ordinal: new kinds only ever go at the end. */
    public enum Kind {
        INSTALL_SUCCEEDED, INSTALL_FAILED,
        /** Health reports of the cohort's devices on the rollout's release (several, pre-aggregated). */
        HEALTH,
        HEARTBEAT_RETURNED, HEARTBEAT_MISSED,
        /** A device's health on the release it ran before this rollout's install: the cohort's baseline. */
        BASELINE,
        /** The rollout's own policy arrived (RolloutCreated): judge the cohort again by it. */
        POLICY
    }

    public CohortSignal {
        health = health == null ? Figures.NONE : health;
    }

    public static CohortSignal of(Kind kind, DeviceState device) {
        return new CohortSignal(kind, device.rolloutId(), device.cohort(), device.wave(), device.release(),
                Figures.NONE, 0, 0, null);
    }

    /** @param reports what the reports add up to (health reports, unhealthy, boot failures, crashes, metrics) */
    public static CohortSignal health(String rolloutId, String cohort, int wave, String release, Figures reports) {
        return new CohortSignal(Kind.HEALTH, rolloutId, cohort, wave, release, reports, 0, 0, null);
    }

    public static CohortSignal baseline(DeviceState device, long reports, long crashes) {
        return new CohortSignal(Kind.BASELINE, device.rolloutId(), device.cohort(), device.wave(), device.release(),
                Figures.NONE, reports, crashes, null);
    }

    public static CohortSignal policy(String rolloutId, String cohort, CohortPolicy policy) {
        return new CohortSignal(Kind.POLICY, rolloutId, cohort, 0, null, Figures.NONE, 0, 0, policy);
    }

    /** The repartition key: every signal of one cohort of one rollout reaches the same task. */
    public String cohortKey() {
        return keyOf(rolloutId, cohort);
    }

    public static String keyOf(String rolloutId, String cohort) {
        return rolloutId + "|" + cohort;
    }

    private void write(DataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeInt(wave);
        CompactSerde.writeString(out, release);
        health.write(out);
        out.writeLong(baselineReports);
        out.writeLong(baselineCrashes);
        out.writeBoolean(policy != null);
        if (policy != null) {
            policy.write(out);
        }
    }

    private static CohortSignal read(DataInput in) throws IOException {
        Kind kind = Kind.values()[in.readByte()];
        return new CohortSignal(kind, CompactSerde.readString(in), CompactSerde.readString(in), in.readInt(),
                CompactSerde.readString(in), Figures.read(in), in.readLong(), in.readLong(),
                in.readBoolean() ? CohortPolicy.read(in) : null);
    }
}
