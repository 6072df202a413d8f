package io.updraft.zchunk;

import io.updraft.zchunk.ZchunkFormatException.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** zchunk's checksum types, by their number in the format. */
public enum ChecksumType {
    SHA1(0, "SHA-1", 20), SHA256(1, "SHA-256", 32), SHA512(2, "SHA-512", 64), SHA512_128(3, "SHA-512", 16);

    private final int id;
    private final String algorithm;
    private final int size;

    ChecksumType(int id, String algorithm, int size) {
        this.id = id;
        this.algorithm = algorithm;
        this.size = size;
    }

    public int id() {
        return id;
    }

    /** Bytes of the digest as stored (SHA-512/128 keeps the first 16 bytes of SHA-512). */
    public int size() {
        return size;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    public byte[] finish(MessageDigest digest) {
        byte[] full = digest.digest();
        if (full.length == size) {
            return full;
        }
        byte[] cut = new byte[size];
        System.arraycopy(full, 0, cut, 0, size);
        return cut;
    }

    static ChecksumType of(long id, String field, boolean headerType) throws ZchunkFormatException {
        for (ChecksumType t : values()) {
            if (t.id == id && (!headerType || t == SHA1 || t == SHA256)) {
                return t;
            }
        }
        throw new ZchunkFormatException(Reason.UNSUPPORTED, field + " " + id + " is not a known checksum type");
    }
}
