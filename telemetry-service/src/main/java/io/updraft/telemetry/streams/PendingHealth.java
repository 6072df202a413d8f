package io.updraft.telemetry.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * Health reports of one rollout × cohort × wave × release window that the device tracker has added up and not yet
 * sent on: one {@code HEALTH} signal per window and flush instead of one per report, so the repartition topic and the
 * referee see a handful of records per flush however many devices report. Kept in a state store, so what is pending
 * commits with the input offsets (exactly-once) and survives a restart.
 *
 * @param lastAt the timestamp of the latest report in it (the signal's timestamp: it falls in the same window)
 */
public record PendingHealth(String rolloutId, String cohort, int wave, String release, long lastAt, Figures reports) {
    static final Serde<PendingHealth> SERDE = CompactSerde.of(PendingHealth.class, (out, p) -> p.write(out),
            PendingHealth::read);

    static PendingHealth none(DeviceState device, long at) {
        return new PendingHealth(device.rolloutId(), device.cohort(), device.wave(), device.release(), at,
                Figures.NONE);
    }

    PendingHealth plusReport(long at, boolean bootOk, boolean appHealthy, int crashCount,
            Map<String, Double> metrics) {
        return new PendingHealth(rolloutId, cohort, wave, release, Math.max(lastAt, at),
                reports.plusReport(bootOk, appHealthy, crashCount, metrics));
    }

    CohortSignal signal() {
        return CohortSignal.health(rolloutId, cohort, wave, release, reports);
    }

    private void write(DataOutput out) throws IOException {
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeInt(wave);
        CompactSerde.writeString(out, release);
        out.writeLong(lastAt);
        reports.write(out);
    }

    private static PendingHealth read(DataInput in) throws IOException {
        return new PendingHealth(CompactSerde.readString(in), CompactSerde.readString(in), in.readInt(),
                CompactSerde.readString(in), in.readLong(), Figures.read(in));
    }
}
