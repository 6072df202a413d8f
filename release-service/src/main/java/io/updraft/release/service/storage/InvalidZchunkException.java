package io.updraft.release.service.storage;

import io.updraft.zchunk.ZchunkFormatException;

/** Bytes that start as a zchunk file but do not verify; the spooled file is already deleted when this is thrown. */
public class InvalidZchunkException extends RuntimeException {

    public InvalidZchunkException(ZchunkFormatException cause) {
        super(cause.getMessage(), cause);
    }

    public ZchunkFormatException.Reason reason() {
        return ((ZchunkFormatException) getCause()).reason();
    }
}
