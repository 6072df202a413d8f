package io.updraft.zchunk;

import io.updraft.zchunk.ZchunkFormatException.Reason;
import java.io.ByteArrayOutputStream;

/**
 * zchunk's "compressed integer": little-endian groups of 7 bits, the last byte marked by its top bit. Values are
 * kept below 2^62 (nine groups at most), so every length and count fits a long with room for sums.
 */
final class Compint {

    static final int MAX_BYTES = 9;

    private Compint() {
    }

    static void write(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative compint " + value);
        }
        long v = value;
        while (v >= 128) {
            out.write((int) (v & 0x7f));
            v >>>= 7;
        }
        out.write((int) (v | 0x80));
    }

    /** A cursor over header bytes; every read checks the bound it was given. */
    static final class Cursor {
        private final byte[] bytes;
        private final int base;
        private int position;
        private int limit;

        Cursor(byte[] bytes, int position, int limit, int base) {
            this.bytes = bytes;
            this.position = position;
            this.limit = limit;
            this.base = base;
        }

        int position() {
            return position;
        }

        void limit(int newLimit) {
            this.limit = newLimit;
        }

        long compint(String field) throws ZchunkFormatException {
            long value = 0;
            int start = position;
            for (int i = 0; ; i++) {
                if (position >= limit) {
                    throw new ZchunkFormatException(Reason.TRUNCATED,
                            field + ": the integer at byte " + (base + start) + " runs past the end of its section");
                }
                if (i == MAX_BYTES) {
                    throw new ZchunkFormatException(Reason.MALFORMED_INTEGER,
                            field + ": the integer at byte " + (base + start) + " is longer than " + MAX_BYTES
                                    + " bytes");
                }
                int b = bytes[position++] & 0xff;
                value |= (long) (b & 0x7f) << (7 * i);
                if ((b & 0x80) != 0) {
                    return value;
                }
            }
        }

        int compintAtMost(String field, long max) throws ZchunkFormatException {
            int at = position;
            long value = compint(field);
            if (value > max) {
                throw new ZchunkFormatException(Reason.TOO_LARGE,
                        field + " at byte " + (base + at) + " is " + value + ", at most " + max + " is accepted");
            }
            return (int) value;
        }

        byte[] bytes(String field, int length) throws ZchunkFormatException {
            if (length > limit - position) {
                throw new ZchunkFormatException(Reason.TRUNCATED,
                        field + " at byte " + (base + position) + " needs " + length + " bytes, "
                                + (limit - position) + " remain in its section");
            }
            byte[] out = new byte[length];
            System.arraycopy(bytes, position, out, 0, length);
            position += length;
            return out;
        }

        void skip(String field, long length) throws ZchunkFormatException {
            if (length > limit - position) {
                throw new ZchunkFormatException(Reason.TRUNCATED,
                        field + " at byte " + (base + position) + " is " + length + " bytes, "
                                + (limit - position) + " remain in its section");
            }
            position += (int) length;
        }
    }
}
