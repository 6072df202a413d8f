package io.updraft.telemetry.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the topology keeps per device: the rollout, wave, cohort and release its health counts for ({@code rolloutId}
 * null when none), the last install results it counted (a result republished under a new event id counts once), its
 * health on the release it currently runs (the baseline it brings to the next rollout), and whether a heartbeat is
 * awaited after a successful install (so a report looks in the heartbeat store only when one is).
 */
public record DeviceState(String rolloutId, String cohort, int wave, String release, List<Long> countedActions,
        long reportsOnRelease, long crashesOnRelease, boolean awaitingHeartbeat) {
    /** Enough to recognise a republished result; a device finishes few actions. */
    static final int COUNTED_ACTIONS_KEPT = 16;

    public static final DeviceState UNKNOWN = new DeviceState(null, null, 0, null, List.of(), 0, 0, false);
    static final Serde<DeviceState> SERDE = CompactSerde.of(DeviceState.class, (out, state) -> state.write(out),
            DeviceState::read);

    public DeviceState {
        countedActions = countedActions == null ? List.of() : List.copyOf(countedActions);
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
                awaitingHeartbeat);
    }

    /** Runs the rollout's release from now on: its health speaks for that cohort, and a new baseline starts. */
    public DeviceState runs(String rolloutId, String cohort, int wave, String release) {
        return new DeviceState(rolloutId, cohort, wave, release, countedActions, 0, 0, awaitingHeartbeat);
    }

    /** Back on (or still on) a release outside any judged rollout. */
    public DeviceState detached() {
        return new DeviceState(null, null, 0, null, countedActions, 0, 0, false);
    }

    public DeviceState withHealth(int crashes) {
        return new DeviceState(rolloutId, cohort, wave, release, countedActions, reportsOnRelease + 1,
                crashesOnRelease + Math.max(0, crashes), awaitingHeartbeat);
    }

    public DeviceState awaitingHeartbeat(boolean awaited) {
        return awaited == awaitingHeartbeat ? this
                : new DeviceState(rolloutId, cohort, wave, release, countedActions, reportsOnRelease,
                        crashesOnRelease, awaited);
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
        return new DeviceState(rolloutId, cohort, wave, release, actions, in.readLong(), in.readLong(),
                in.readBoolean());
    }
}
