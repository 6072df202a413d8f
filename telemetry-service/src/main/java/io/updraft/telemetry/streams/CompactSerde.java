package io.updraft.telemetry.streams;

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
 * cost. Each record type writes and reads itself ({@code write(DataOutput)} / {@code read(DataInput)}); a new field
 * means a new format byte, and the reader of an unknown format fails loudly instead of guessing.
 */
final class CompactSerde {
    /** 2: the rollback rules that need no baseline (issue 16); a store of format 1 must be reset. */
    static final byte FORMAT = 2;

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
}
