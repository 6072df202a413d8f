package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * One thing that happened to a cohort of a rollout, re-keyed from its device (or its rollout) to
 * {@code rolloutId|cohort}: what the cohort referee aggregates and judges. A {@code HEALTH} signal carries the health
 * reports of one wave × release window that arrived since the tracker last flushed (see {@link PendingHealth}).
 *
 * @param silentMillis heartbeats: how long after its install the device was heard from ({@code HEARTBEAT_RETURNED})
 *        or has now been silent ({@code HEARTBEAT_MISSED}: the checkpoint it reached, a multiple of the check step)
 * @param checkpoints heartbeats: how many silence checkpoints the device had passed before this signal
 * @param wasUnhealthy, unhealthy {@code DEVICE_HEALTH}: the device's unhealthy flag before and after this report
 * @param crashLog {@code DEVICE_HEALTH}: the device's crash reports on the release as (timestamp, crashes) pairs
 * @param crashesBefore {@code DEVICE_HEALTH}: how many pairs of the log the previous signal had already carried
 * @param source the input partition the signal came from ({@link #sourceOf}), {@link #NO_SOURCE} for a signal of
 *        a wall-clock punctuation without one ({@code HEARTBEAT_MISSED})
 * @param position where in {@code source} it came from: {@link #positionOf} of the input record and the signal's
 *        index among that record's signals; a {@code HEALTH} signal: the offset of the last report it adds up. A
 *        replay (at-least-once processing after a crash, a moved task) sends a signal again with the same source
 *        and position, so the referee can tell it from a new one
 * @param firstPosition {@code HEALTH}: the offset of the first report of the tracker's sum (its generation); the
 *        figures are cumulative over that generation, not since the last flush
 * @param device heartbeats: who the signal is about ({@link #deviceOf} of the device's scoped id), so that the referee
 *        counts a device silent once however often its checkpoint is sent; {@link #NO_DEVICE} for other kinds
 */
public record CohortSignal(Kind kind, String rolloutId, String cohort, int wave, String release, Figures health,
        long baselineReports, long baselineCrashes, CohortPolicy policy, long silentMillis, int checkpoints,
        boolean wasUnhealthy, boolean unhealthy, long[] crashLog, int crashesBefore, int source, long position,
        long firstPosition, long device) {
    /** The source of a signal no input record caused. */
    public static final int NO_SOURCE = -1;
    /** The device of a signal about no single device (and of a heartbeat signal of the format before it had one). */
    public static final long NO_DEVICE = 0;
    /** Signals one input record may cause (positions {@code offset * 8 + index}). */
    static final int SIGNALS_PER_RECORD = 8;

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
        POLICY,
        /** The install failed after the device had reported it installed: the new image did not boot. */
        INSTALL_BOOT_FAILED,
        /** A device that installed the release reported a failed boot on it (once per device and install). */
        BOOT_FAILED_REPORTED,
        /** A device on the release turned unhealthy or crashed (with its crash log, to judge crash loops). */
        DEVICE_HEALTH
    }

    private static final long[] NO_CRASHES = new long[0];

    public CohortSignal {
        health = health == null ? Figures.NONE : health;
        crashLog = crashLog == null ? NO_CRASHES : crashLog;
    }

    /** Input topics of the topology, as {@link #sourceOf} numbers them. */
    enum SourceTopic {
        DEVICE_REPORTS, DEVICE_TELEMETRY, ROLLOUT_EVENTS
    }

    /** One number per input partition of the topology. */
    static int sourceOf(SourceTopic topic, int partition) {
        return partition * SourceTopic.values().length + topic.ordinal();
    }

    /** The position of the {@code index}th signal an input record at {@code offset} causes. */
    static long positionOf(long offset, int index) {
        if (index >= SIGNALS_PER_RECORD) {
            throw new IllegalStateException("more than " + SIGNALS_PER_RECORD + " signals of one record");
        }
        return offset * SIGNALS_PER_RECORD + index;
    }

    /** This signal, caused by the input at {@code source} / {@code position}. */
    public CohortSignal from(int source, long position) {
        return new CohortSignal(kind, rolloutId, cohort, wave, release, health, baselineReports, baselineCrashes,
                policy, silentMillis, checkpoints, wasUnhealthy, unhealthy, crashLog, crashesBefore, source, position,
                firstPosition, device);
    }

    /** A {@code HEALTH} signal of a tracker's sum whose reports run from offset {@code first} to {@code last}. */
    public CohortSignal from(int source, long first, long last) {
        return new CohortSignal(kind, rolloutId, cohort, wave, release, health, baselineReports, baselineCrashes,
                policy, silentMillis, checkpoints, wasUnhealthy, unhealthy, crashLog, crashesBefore, source, last,
                first, device);
    }

    private static CohortSignal simple(Kind kind, String rolloutId, String cohort, int wave, String release) {
        return new CohortSignal(kind, rolloutId, cohort, wave, release, Figures.NONE, 0, 0, null, 0, 0, false, false,
                null, 0, NO_SOURCE, 0, 0, NO_DEVICE);
    }

    public static CohortSignal of(Kind kind, DeviceState device) {
        return simple(kind, device.rolloutId(), device.cohort(), device.wave(), device.release());
    }

    /** @param reports what the reports add up to (health reports, unhealthy, boot failures, crashes, metrics) */
    public static CohortSignal health(String rolloutId, String cohort, int wave, String release, Figures reports) {
        return new CohortSignal(Kind.HEALTH, rolloutId, cohort, wave, release, reports, 0, 0, null, 0, 0, false,
                false, null, 0, NO_SOURCE, 0, 0, NO_DEVICE);
    }

    public static CohortSignal baseline(DeviceState device, long reports, long crashes) {
        return new CohortSignal(Kind.BASELINE, device.rolloutId(), device.cohort(), device.wave(), device.release(),
                Figures.NONE, reports, crashes, null, 0, 0, false, false, null, 0, NO_SOURCE, 0, 0, NO_DEVICE);
    }

    public static CohortSignal policy(String rolloutId, String cohort, CohortPolicy policy) {
        return new CohortSignal(Kind.POLICY, rolloutId, cohort, 0, null, Figures.NONE, 0, 0, policy, 0, 0, false,
                false, null, 0, NO_SOURCE, 0, 0, NO_DEVICE);
    }

    /** @param device {@link #deviceOf} the device's scoped id */
    public static CohortSignal heartbeat(Kind kind, HeartbeatDue due, long silentMillis, int checkpoints,
            long device) {
        return new CohortSignal(kind, due.rolloutId(), due.cohort(), due.wave(), due.release(), Figures.NONE, 0, 0,
                null, silentMillis, checkpoints, false, false, null, 0, NO_SOURCE, 0, 0, device);
    }

    /**
     * A device's identity in heartbeat signals and the referee's set of devices counted silent: 64-bit FNV-1a of its
     * scoped id ({@link ScopedIds}), never {@link #NO_DEVICE}. Two of a million devices share one with a probability
     * of about 3 in 100 million; they would then be counted silent once between them.
     */
    public static long deviceOf(String scopedDeviceId) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < scopedDeviceId.length(); i++) {
            char c = scopedDeviceId.charAt(i);
            hash = (hash ^ (c & 0xff)) * 0x100000001b3L;
            hash = (hash ^ (c >>> 8)) * 0x100000001b3L;
        }
        return hash == NO_DEVICE ? 1 : hash;
    }

    public static CohortSignal deviceHealth(DeviceState before, DeviceState after) {
        return new CohortSignal(Kind.DEVICE_HEALTH, after.rolloutId(), after.cohort(), after.wave(), after.release(),
                Figures.NONE, 0, 0, null, 0, 0, before.unhealthy(), after.unhealthy(), after.crashLog(),
                before.crashLog().length / 2, NO_SOURCE, 0, 0, NO_DEVICE);
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
        CompactSerde.writeFigures(out, health);
        out.writeLong(baselineReports);
        out.writeLong(baselineCrashes);
        out.writeBoolean(policy != null);
        if (policy != null) {
            CompactSerde.writePolicy(out, policy);
        }
        out.writeLong(silentMillis);
        out.writeInt(checkpoints);
        out.writeBoolean(wasUnhealthy);
        out.writeBoolean(unhealthy);
        out.writeShort(crashLog.length);
        for (long value : crashLog) {
            out.writeLong(value);
        }
        out.writeShort(crashesBefore);
        out.writeInt(source);
        out.writeLong(position);
        out.writeLong(firstPosition);
        out.writeLong(device);
    }

    private static CohortSignal read(DataInput in) throws IOException {
        Kind kind = Kind.values()[in.readByte()];
        String rolloutId = CompactSerde.readString(in);
        String cohort = CompactSerde.readString(in);
        int wave = in.readInt();
        String release = CompactSerde.readString(in);
        Figures health = CompactSerde.readFigures(in);
        long baselineReports = in.readLong();
        long baselineCrashes = in.readLong();
        CohortPolicy policy = in.readBoolean() ? CompactSerde.readPolicy(in) : null;
        long silentMillis = in.readLong();
        int checkpoints = in.readInt();
        boolean wasUnhealthy = in.readBoolean();
        boolean unhealthy = in.readBoolean();
        long[] crashLog = new long[in.readUnsignedShort()];
        for (int i = 0; i < crashLog.length; i++) {
            crashLog[i] = in.readLong();
        }
        int crashesBefore = in.readUnsignedShort();
        int source = in.readInt();
        long position = in.readLong();
        long firstPosition = in.readLong();
        long device;
        try {
            device = in.readLong();
        } catch (EOFException e) {
            device = NO_DEVICE; // written before signals named their device: the referee judges it as it did then
        }
        return new CohortSignal(kind, rolloutId, cohort, wave, release, health, baselineReports, baselineCrashes,
                policy, silentMillis, checkpoints, wasUnhealthy, unhealthy, crashLog, crashesBefore, source,
                position, firstPosition, device);
    }
}
