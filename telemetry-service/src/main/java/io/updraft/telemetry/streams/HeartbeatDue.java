package io.updraft.telemetry.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/** A device that installed successfully and has not been heard from since; missing once {@code dueAt} passes. */
public record HeartbeatDue(String rolloutId, String cohort, int wave, String release, long dueAt) {
    static final Serde<HeartbeatDue> SERDE = CompactSerde.of(HeartbeatDue.class, (out, due) -> due.write(out),
            HeartbeatDue::read);

    DeviceState asDevice() {
        return new DeviceState(rolloutId, cohort, wave, release, null, 0, 0, false);
    }

    private void write(DataOutput out) throws IOException {
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeInt(wave);
        CompactSerde.writeString(out, release);
        out.writeLong(dueAt);
    }

    private static HeartbeatDue read(DataInput in) throws IOException {
        return new HeartbeatDue(CompactSerde.readString(in), CompactSerde.readString(in), in.readInt(),
                CompactSerde.readString(in), in.readLong());
    }
}
