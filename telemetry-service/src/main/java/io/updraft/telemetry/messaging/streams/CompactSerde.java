package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.domain.CohortPolicy.Limits;
import io.updraft.telemetry.domain.CohortPolicy.Regression;
import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topology's own records (store values, repartitioned signals) in a compact binary form: a format byte, then the
 * fields in declaration order. A store value is read and written on every report, so JSON was most of the topology's
 * cost. Each record type of the topology writes and reads itself ({@code write(DataOutput)} / {@code read(DataInput)});
 * the domain's value types it carries ({@link Figures}, {@link CohortPolicy}) know nothing of Kafka and are written
 * here. A new field means a new format byte, and the reader of an unknown format fails loudly instead of guessing.
 */
final class CompactSerde {
    /**
     * 3: signals carry their source position, the cohort state its high-water marks (at-least-once processing); 2: the
     * rollback rules that need no baseline (issue 16). A store of an earlier format must be reset.
     */
    static final byte FORMAT = 3;

    static final Serde<Figures> FIGURES = of(Figures.class, CompactSerde::writeFigures, CompactSerde::readFigures);

    @FunctionalInterface
    interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private CompactSerde() {
    }

    static <T> Serde<T> of(Class<T> type, Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                writer.write(out, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte format = in.readByte();
                if (format != FORMAT) {
                    throw new SerializationException("unknown " + type.getSimpleName() + " format " + format);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException("unreadable " + type.getSimpleName(), e);
            }
        });
    }

    static void writeString(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void writeDuration(DataOutput out, Duration value) throws IOException {
        out.writeLong(value.getSeconds());
        out.writeInt(value.getNano());
    }

    static Duration readDuration(DataInput in) throws IOException {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }

    static void writeDoubles(DataOutput out, Map<String, Double> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeDouble(entry.getValue());
        }
    }

    static Map<String, Double> readDoubles(DataInput in) throws IOException {
        int size = in.readInt();
        Map<String, Double> values = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            values.put(in.readUTF(), in.readDouble());
        }
        return values;
    }

    static void writeLongs(DataOutput out, Map<String, Long> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeLong(entry.getValue());
        }
    }

    static Map<String, Long> readLongs(DataInput in) throws IOException {
        int size = in.readInt();
        Map<String, Long> values = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            values.put(in.readUTF(), in.readLong());
        }
        return values;
    }

    /** The counters in declaration order, then the metric sums and counts. */
    static void writeFigures(DataOutput out, Figures figures) throws IOException {
        for (long count : new long[] { figures.succeeded(), figures.failed(), figures.healthReports(),
                figures.unhealthyReports(), figures.bootFailures(), figures.appUnhealthy(), figures.crashes(),
                figures.heartbeatsReturned(), figures.heartbeatsMissed(), figures.bootFailedDevices(),
                figures.unhealthyDevices() }) {
            out.writeLong(count);
        }
        writeDoubles(out, figures.metricSums());
        writeLongs(out, figures.metricCounts());
    }

    static Figures readFigures(DataInput in) throws IOException {
        return new Figures(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), readDoubles(in),
                readLongs(in));
    }

    static void writePolicy(DataOutput out, CohortPolicy policy) throws IOException {
        writeLimits(out, policy.failedInstalls());
        writeLimits(out, policy.bootFailures());
        writeLimits(out, policy.unhealthyDevices());
        out.writeInt(policy.crashLoopCrashes());
        writeDuration(out, policy.crashLoopWindow());
        writeLimits(out, policy.silentDevices());
        writeDuration(out, policy.silence());
        out.writeDouble(policy.crashRegression().factor());
        out.writeDouble(policy.crashRegression().floor());
        out.writeInt(policy.crashRegression().minSample());
        writeDuration(out, policy.crashRegression().window());
        out.writeInt(policy.failureLimit());
        out.writeInt(policy.consecutiveFailures());
        out.writeInt(policy.cohortDevices());
    }

    static CohortPolicy readPolicy(DataInput in) throws IOException {
        return new CohortPolicy(readLimits(in), readLimits(in), readLimits(in), in.readInt(), readDuration(in),
                readLimits(in), readDuration(in),
                new Regression(in.readDouble(), in.readDouble(), in.readInt(), readDuration(in)),
                in.readInt(), in.readInt(), in.readInt());
    }

    /** No rate or no count is written as -1. */
    private static void writeLimits(DataOutput out, Limits limits) throws IOException {
        out.writeDouble(limits.rate() == null ? -1 : limits.rate());
        out.writeInt(limits.count() == null ? -1 : limits.count());
        out.writeInt(limits.minSample());
        writeDuration(out, limits.window());
    }

    private static Limits readLimits(DataInput in) throws IOException {
        double rate = in.readDouble();
        int count = in.readInt();
        return new Limits(rate < 0 ? null : rate, count < 0 ? null : count, in.readInt(), readDuration(in));
    }
}
