package io.updraft.zchunk;

/**
 * A .zck that is not a valid zchunk file, or uses what this library does not support. {@link #reason()} says which
 * rule failed; the message says where (byte offset, chunk number).
 */
public final class ZchunkFormatException extends Exception {

    /** What failed, for callers that answer differently per kind (and for tests). */
    public enum Reason {
        BAD_MAGIC, UNSUPPORTED, MALFORMED_INTEGER, TRUNCATED, TOO_LARGE, MALFORMED_HEADER,
        HEADER_CHECKSUM, CHUNK_CHECKSUM, UNCOMPRESSED_CHECKSUM, CHUNK_LENGTH, UNDECODABLE_CHUNK, DATA_CHECKSUM, TRAILING_DATA
    }

    private final Reason reason;

    public ZchunkFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ZchunkFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
