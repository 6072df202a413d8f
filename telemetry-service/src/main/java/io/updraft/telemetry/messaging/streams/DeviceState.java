package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.domain.CohortPolicy;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the topology keeps per device: the rollout, wave, cohort and release its health counts for ({@code rolloutId}
 * null when none), the last install results it counted (a result republished under a new event id counts once), its
 * health on the release it currently runs (the baseline it brings to the next rollout), whether a heartbeat is
 * awaited after a successful install (so a report looks in the heartbeat store only when one is), and since that
 * install: whether it reported unhealthy, whether it reported a failed boot, and its crash reports as (timestamp,
 * crashes) pairs — at most {@link CohortPolicy#MAX_CRASH_LOOP_CRASHES} of them, enough for any crash-loop rule.
 */
public record DeviceState(String rolloutId, String cohort, int wave, String release, List<Long> countedActions,
        long reportsOnRelease, long crashesOnRelease, boolean awaitingHeartbeat, boolean unhealthy,
        boolean bootFailed, long[] crashLog) {
    /** Enough to recognise a republished result; a device finishes few actions. */
    static final int COUNTED_ACTIONS_KEPT = 16;
    private static final long[] NO_CRASHES = new long[0];

    public static final DeviceState UNKNOWN = new DeviceState(null, null, 0, null, List.of(), 0, 0, false, false,
            false, NO_CRASHES);
    static final Serde<DeviceState> SERDE = CompactSerde.of(DeviceState.class, (out, state) -> state.write(out),
            DeviceState::read);

    public DeviceState {
        countedActions = countedActions == null ? List.of() : List.copyOf(countedActions);
        crashLog = crashLog == null ? NO_CRASHES : crashLog;
    }

    /**
     * This device's health report on the release it installed for its rollout: it turns unhealthy (a failed boot or
     * an unhealthy application), fails its boot, and its crashes join the log while the log has room.
     */
    public DeviceState reportedOnRelease(long at, boolean bootOk, boolean appHealthy, int crashes) {
        boolean nowUnhealthy = unhealthy || !bootOk || !appHealthy;
        boolean nowBootFailed = bootFailed || !bootOk;
        long[] log = crashLog;
        if (crashes > 0 && crashLog.length / 2 < CohortPolicy.MAX_CRASH_LOOP_CRASHES) {
            log = Arrays.copyOf(crashLog, crashLog.length + 2);
            log[log.length - 2] = at;
            log[log.length - 1] = crashes;
        }
        return nowUnhealthy == unhealthy && nowBootFailed == bootFailed && log == crashLog ? this
                : new DeviceState(rolloutId, cohort, wave, release, countedActions, reportsOnRelease,
                        crashesOnRelease, awaitingHeartbeat, nowUnhealthy, nowBootFailed, log);
    }

    public boolean attributed() {
        return rolloutId != null;
    }

    public boolean counted(long actionId) {
        return countedActions.contains(actionId);
    }

    public DeviceState withCounted(long actionId) {
        List<Long> actions = new ArrayList<>(countedActions);
        actions.add(actionId);
        while (actions.size() > COUNTED_ACTIONS_KEPT) {
            actions.remove(0);
        }
        return new DeviceState(rolloutId, cohort, wave, release, actions, reportsOnRelease, crashesOnRelease,
                awaitingHeartbeat, unhealthy, bootFailed, crashLog);
    }

    /** Runs the rollout's release from now on: its health speaks for that cohort, and a new baseline starts. */
    public DeviceState runs(String rolloutId, String cohort, int wave, String release) {
        return new DeviceState(rolloutId, cohort, wave, release, countedActions, 0, 0, awaitingHeartbeat, false,
                false, NO_CRASHES);
    }

    /** Back on (or still on) a release outside any judged rollout. */
    public DeviceState detached() {
        return new DeviceState(null, null, 0, null, countedActions, 0, 0, false, false, false, NO_CRASHES);
    }

    public DeviceState withHealth(int crashes) {
        return new DeviceState(rolloutId, cohort, wave, release, countedActions, reportsOnRelease + 1,
                crashesOnRelease + Math.max(0, crashes), awaitingHeartbeat, unhealthy, bootFailed, crashLog);
    }

    public DeviceState awaitingHeartbeat(boolean awaited) {
        return awaited == awaitingHeartbeat ? this
                : new DeviceState(rolloutId, cohort, wave, release, countedActions, reportsOnRelease,
                        crashesOnRelease, awaited, unhealthy, bootFailed, crashLog);
    }

    private void write(DataOutput out) throws IOException {
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeInt(wave);
        CompactSerde.writeString(out, release);
        out.writeByte(countedActions.size());
        for (long action : countedActions) {
            out.writeLong(action);
        }
        out.writeLong(reportsOnRelease);
        out.writeLong(crashesOnRelease);
        out.writeBoolean(awaitingHeartbeat);
        out.writeBoolean(unhealthy);
        out.writeBoolean(bootFailed);
        out.writeByte(crashLog.length / 2);
        for (long value : crashLog) {
            out.writeLong(value);
        }
    }

    private static DeviceState read(DataInput in) throws IOException {
        String rolloutId = CompactSerde.readString(in);
        String cohort = CompactSerde.readString(in);
        int wave = in.readInt();
        String release = CompactSerde.readString(in);
        int counted = in.readUnsignedByte();
        List<Long> actions = new ArrayList<>(counted);
        for (int i = 0; i < counted; i++) {
            actions.add(in.readLong());
        }
        long reports = in.readLong();
        long crashes = in.readLong();
        boolean awaiting = in.readBoolean();
        boolean unhealthy = in.readBoolean();
        boolean bootFailed = in.readBoolean();
        long[] log = new long[in.readUnsignedByte() * 2];
        for (int i = 0; i < log.length; i++) {
            log[i] = in.readLong();
        }
        return new DeviceState(rolloutId, cohort, wave, release, actions, reports, crashes, awaiting, unhealthy,
                bootFailed, log);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceState that && wave == that.wave && reportsOnRelease == that.reportsOnRelease
                && crashesOnRelease == that.crashesOnRelease && awaitingHeartbeat == that.awaitingHeartbeat
                && unhealthy == that.unhealthy && bootFailed == that.bootFailed
                && java.util.Objects.equals(rolloutId, that.rolloutId) && java.util.Objects.equals(cohort, that.cohort)
                && java.util.Objects.equals(release, that.release) && countedActions.equals(that.countedActions)
                && Arrays.equals(crashLog, that.crashLog);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(rolloutId, cohort, wave, release, reportsOnRelease, crashesOnRelease);
    }
}
