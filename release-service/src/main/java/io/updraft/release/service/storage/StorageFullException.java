package io.updraft.release.service.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The artifact storage has no room for an upload: refused from the length the request announced before a byte was
 * written, or the volume filled up while the bytes were written (ENOSPC, or a quota), or the object store answered
 * that it is full. When this is thrown, whatever was written of the upload has been deleted: nothing was stored,
 * nothing was published. The REST layer answers it with 507 Insufficient Storage.
 */
public class StorageFullException extends RuntimeException {
    /** A failed write counts as "the volume is full" when less than this is left free on it. */
    static final long FULL_BELOW = 64 * 1024;
    private static final long UNKNOWN = -1;

    private final String subject;
    private final String reason;
    private final long announced;
    private final long written;
    private final long usable;

    private StorageFullException(String subject, String reason, long announced, long written, long usable,
            Throwable cause) {
        super((subject == null ? "upload" : subject) + ": artifact storage full (" + reason + ")", cause);
        this.subject = subject;
        this.reason = reason;
        this.announced = announced;
        this.written = written;
        this.usable = usable;
    }

    /** Refused before the body was read: {@code announced} bytes would not fit in the {@code usable} ones. */
    static StorageFullException beforeWriting(long announced, long usable) {
        return new StorageFullException(null, "the request announces " + announced + " bytes and only " + usable
                + " are free", announced, 0, usable, null);
    }

    /**
     * What a failed write into {@code dir} means: a {@code StorageFullException} when its volume has (next to) no room
     * left or the system said so (ENOSPC, EDQUOT), else null — then it is some other I/O failure.
     */
    static StorageFullException ifFull(Path dir, long written, IOException failure) {
        long usable = UNKNOWN;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException cannotTell) {
            // judged by the failure alone
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
        boolean full = usable != UNKNOWN && usable < FULL_BELOW || message.contains("no space left on device")
                || message.contains("disk quota exceeded");
        return full ? new StorageFullException(null, "the volume filled up after " + written
                + " bytes of it were written", UNKNOWN, written, usable, failure) : null;
    }

    /** The object store refused the bytes for lack of room (an S3 507 to {@code request}). */
    static StorageFullException inObjectStore(String request, Exception cause) {
        return new StorageFullException(null, "the object store answered " + request + " with 507 Insufficient"
                + " Storage", UNKNOWN, 0, UNKNOWN, cause);
    }

    /** The same failure, saying what could not be stored (a release and its artifact, an upload). */
    public StorageFullException about(String what) {
        StorageFullException described = new StorageFullException(what, reason, announced, written, usable,
                getCause());
        described.setStackTrace(getStackTrace());
        return described;
    }

    /** What could not be stored, or null when not known. */
    public String subject() {
        return subject;
    }

    /** Why it did not fit, in words: announced too many bytes, the volume filled up, the object store is full. */
    public String reason() {
        return reason;
    }

    /** True unless refused from the announced length, before a byte was written. */
    public boolean whileWriting() {
        return announced == UNKNOWN;
    }

    /** Bytes the request announced (Content-Length), or -1 when it was refused while written. */
    public long announced() {
        return announced;
    }

    /** Bytes of the upload written (and deleted again) before the volume was full. */
    public long written() {
        return written;
    }

    /** Bytes free on the volume when the upload was refused, or -1 when not known. */
    public long usable() {
        return usable;
    }
}
