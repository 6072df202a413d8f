package io.updraft.telemetry.messaging.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * A device that installed successfully ({@code installedAt}, epoch millis) and has not been heard from since; at
 * {@code dueAt} it passes its next silence checkpoint ({@code checkpoints} passed so far).
 */
public record HeartbeatDue(String rolloutId, String cohort, int wave, String release, long dueAt, long installedAt,
        int checkpoints) {
    static final Serde<HeartbeatDue> SERDE = CompactSerde.of(HeartbeatDue.class, (out, due) -> due.write(out),
            HeartbeatDue::read);

    /** @return the device having passed {@code passed} checkpoints, due at the next one */
    HeartbeatDue passed(int passed, long step) {
        return new HeartbeatDue(rolloutId, cohort, wave, release, installedAt + (passed + 1) * step, installedAt,
                passed);
    }

    private void write(DataOutput out) throws IOException {
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeInt(wave);
        CompactSerde.writeString(out, release);
        out.writeLong(dueAt);
        out.writeLong(installedAt);
        out.writeInt(checkpoints);
    }

    private static HeartbeatDue read(DataInput in) throws IOException {
        return new HeartbeatDue(CompactSerde.readString(in), CompactSerde.readString(in), in.readInt(),
                CompactSerde.readString(in), in.readLong(), in.readLong(), in.readInt());
    }
}
