package io.updraft.zchunk;

import io.updraft.zchunk.ZchunkFormatException.Reason;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parsed header of a .zck (lead, preface, index, signatures), as zchunk_format.txt lays it out. {@link #parse}
 * checks the header checksum and that every section ends exactly where its size says.
 *
 * @param length       bytes from the start of the file to the first data byte (lead + header): what SWUpdate packs
 *                     into the .swu and what {@code zck_read_header} calls the header size
 * @param dataLength   sum of the chunks' stored lengths: the file is {@code length + dataLength} bytes
 */
public record ZchunkHeader(ChecksumType checksumType, byte[] headerChecksum, long length, byte[] dataChecksum,
                           int flags, int compressionType, ChecksumType chunkChecksumType, List<ZchunkChunk> chunks,
                           long dataLength) {

    public static final int FLAG_STREAMS = 1;
    public static final int FLAG_OPTIONAL_ELEMENTS = 2;
    public static final int FLAG_UNCOMPRESSED_SOURCE = 4;
    public static final int COMPRESSION_NONE = 0;
    public static final int COMPRESSION_ZSTD = 2;
    static final byte[] MAGIC = {0, 'Z', 'C', 'K', '1'};

    /** Largest header accepted: a 10 GB image in the zck tool's ~32 KiB chunks needs about 25 MB. */
    public static final int DEFAULT_MAX_HEADER = 64 << 20;

    @Override
    public boolean equals(Object o) {
        return o instanceof ZchunkHeader h && checksumType == h.checksumType && length == h.length
                && flags == h.flags && compressionType == h.compressionType
                && chunkChecksumType == h.chunkChecksumType && dataLength == h.dataLength
                && Arrays.equals(headerChecksum, h.headerChecksum) && Arrays.equals(dataChecksum, h.dataChecksum)
                && chunks.equals(h.chunks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(headerChecksum);
    }

    @Override
    public String toString() {
        return "zchunk header of " + length + " bytes, " + chunks.size() + " chunks, " + dataLength + " data bytes";
    }

    public boolean uncompressedSource() {
        return (flags & FLAG_UNCOMPRESSED_SOURCE) != 0;
    }

    /** Bytes of the whole file. */
    public long fileLength() {
        return length + dataLength;
    }

    /** The data chunks (the index without chunk 0, the dictionary). */
    public List<ZchunkChunk> dataChunks() {
        return chunks.subList(1, chunks.size());
    }

    /**
     * The length of lead + header that the first {@code available} bytes declare, or -1 when they are too few to
     * tell. Refuses a wrong magic, an unknown header checksum type and a header over {@code maxHeader} bytes.
     */
    static long declaredLength(byte[] prefix, int available, int maxHeader) throws ZchunkFormatException {
        if (available < MAGIC.length) {
            return -1;
        }
        if (!Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            if (prefix[0] == 0 && prefix[1] == 'Z' && prefix[2] == 'H' && prefix[3] == 'R') {
                throw new ZchunkFormatException(Reason.UNSUPPORTED,
                        "a detached zchunk header (\\0ZHR1), not a whole .zck file");
            }
            throw new ZchunkFormatException(Reason.BAD_MAGIC, "not a zchunk file: it does not start with \\0ZCK1");
        }
        Compint.Cursor c = new Compint.Cursor(prefix, MAGIC.length, available, 0);
        try {
            ChecksumType type = ChecksumType.of(c.compint("header checksum type"), "header checksum type", true);
            long headerSize = c.compint("header size");
            long total = c.position() + (long) type.size() + headerSize;
            if (total > maxHeader) {
                throw new ZchunkFormatException(Reason.TOO_LARGE,
                        "header size " + headerSize + " is more than the " + maxHeader + " bytes accepted");
            }
            return total;
        } catch (ZchunkFormatException e) {
            if (e.reason() == Reason.TRUNCATED && available < MAGIC.length + 2 * Compint.MAX_BYTES) {
                return -1;
            }
            throw e;
        }
    }

    /** Parses and checks a complete header: {@code bytes[0, length)} is the lead and the header. */
    public static ZchunkHeader parse(byte[] bytes, int length) throws ZchunkFormatException {
        long declared = declaredLength(bytes, length, Integer.MAX_VALUE);
        if (declared < 0 || declared > length) {
            throw new ZchunkFormatException(Reason.TRUNCATED,
                    "the file ends at byte " + length + ", inside its header (" + Math.max(declared, 0)
                            + " bytes declared)");
        }
        int end = (int) declared;
        Compint.Cursor c = new Compint.Cursor(bytes, MAGIC.length, end, 0);
        ChecksumType type = ChecksumType.of(c.compint("header checksum type"), "header checksum type", true);
        c.compint("header size");
        int digestAt = c.position();
        byte[] headerChecksum = c.bytes("header checksum", type.size());
        MessageDigest md = type.newDigest();
        md.update(bytes, 0, digestAt);
        md.update(bytes, c.position(), end - c.position());
        if (!MessageDigest.isEqual(type.finish(md), headerChecksum)) {
            throw new ZchunkFormatException(Reason.HEADER_CHECKSUM,
                    "header checksum differs from the header's bytes (" + type + ")");
        }

        byte[] dataChecksum = c.bytes("data checksum", type.size());
        long flagsValue = c.compint("flags");
        if ((flagsValue & FLAG_STREAMS) != 0) {
            throw new ZchunkFormatException(Reason.UNSUPPORTED, "data streams (flag 0) are not supported");
        }
        if ((flagsValue & ~(long) (FLAG_OPTIONAL_ELEMENTS | FLAG_UNCOMPRESSED_SOURCE)) != 0) {
            throw new ZchunkFormatException(Reason.UNSUPPORTED, "unknown flags set: " + flagsValue);
        }
        int flags = (int) flagsValue;
        long compression = c.compint("compression type");
        if (compression != COMPRESSION_NONE && compression != COMPRESSION_ZSTD) {
            throw new ZchunkFormatException(Reason.UNSUPPORTED, "compression type " + compression + " is unknown");
        }
        if ((flags & FLAG_OPTIONAL_ELEMENTS) != 0) {
            long count = c.compint("optional element count");
            for (long i = 0; i < count; i++) {
                c.compint("optional element id");
                c.skip("optional element", c.compint("optional element size"));
            }
        }
        long indexSize = c.compint("index size");
        if (indexSize > end - c.position()) {
            throw new ZchunkFormatException(Reason.MALFORMED_HEADER, "index size " + indexSize
                    + " is more than the " + (end - c.position()) + " header bytes left");
        }
        int indexEnd = c.position() + (int) indexSize;
        c.limit(indexEnd);
        ChecksumType chunkType = ChecksumType.of(c.compint("chunk checksum type"), "chunk checksum type", false);
        boolean uncompressedSource = (flags & FLAG_UNCOMPRESSED_SOURCE) != 0;
        int entryMin = chunkType.size() * (uncompressedSource ? 2 : 1) + 2;
        long count = c.compintAtMost("chunk count", (indexEnd - c.position()) / entryMin);
        if (count < 1) {
            throw new ZchunkFormatException(Reason.MALFORMED_HEADER, "chunk count is 0: the dictionary entry is missing");
        }
        List<ZchunkChunk> chunks = new ArrayList<>((int) count);
        long offset = 0;
        for (int i = 0; i < count; i++) {
            String field = "chunk " + i;
            byte[] sum = c.bytes(field + " checksum", chunkType.size());
            byte[] uncompressedSum = uncompressedSource ? c.bytes(field + " uncompressed checksum", chunkType.size())
                    : null;
            long stored = c.compint(field + " length");
            long plain = c.compint(field + " uncompressed length");
            if (compression == COMPRESSION_NONE && stored != plain) {
                throw new ZchunkFormatException(Reason.MALFORMED_HEADER,
                        field + ": stored uncompressed but its lengths differ (" + stored + " vs " + plain + ")");
            }
            chunks.add(new ZchunkChunk(i, offset, stored, plain, sum, uncompressedSum));
            offset += stored;
            if (offset < 0 || offset > (1L << 62)) {
                throw new ZchunkFormatException(Reason.TOO_LARGE, "the chunks' lengths add up past 2^62");
            }
        }
        if (c.position() != indexEnd) {
            throw new ZchunkFormatException(Reason.MALFORMED_HEADER, (indexEnd - c.position())
                    + " bytes left over at the end of the index");
        }
        c.limit(end);
        long signatures = c.compint("signature count");
        for (long i = 0; i < signatures; i++) {
            c.compint("signature type");
            c.skip("signature", c.compint("signature size"));
        }
        if (c.position() != end) {
            throw new ZchunkFormatException(Reason.MALFORMED_HEADER, (end - c.position())
                    + " bytes left over after the signatures, inside the declared header size");
        }
        return new ZchunkHeader(type, headerChecksum, end, dataChecksum, flags, (int) compression, chunkType,
                List.copyOf(chunks), offset);
    }
}
