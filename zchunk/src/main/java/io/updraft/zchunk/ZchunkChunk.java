package io.updraft.zchunk;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One entry of a zchunk index. Chunk 0 is the dictionary (all zero and empty when there is none).
 *
 * @param number       position in the index, 0 = the dictionary
 * @param offset       where the chunk's stored bytes start in the file (after the header)
 * @param length       stored (compressed) bytes
 * @param uncompressedLength bytes after decompression
 * @param checksum     checksum of the stored bytes, in the index's chunk checksum type
 * @param uncompressedChecksum checksum of the decompressed bytes; null unless the file has the
 *                     "uncompressed source" flag (what SWUpdate's delta handler compares with the running image)
 */
public record ZchunkChunk(int number, long offset, long length, long uncompressedLength, byte[] checksum,
                          byte[] uncompressedChecksum) {

    public String checksumHex() {
        return HexFormat.of().formatHex(checksum);
    }

    public String uncompressedChecksumHex() {
        return uncompressedChecksum == null ? null : HexFormat.of().formatHex(uncompressedChecksum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZchunkChunk c && number == c.number && offset == c.offset && length == c.length
                && uncompressedLength == c.uncompressedLength && Arrays.equals(checksum, c.checksum)
                && Arrays.equals(uncompressedChecksum, c.uncompressedChecksum);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, offset, length, uncompressedLength, Arrays.hashCode(checksum));
    }

    @Override
    public String toString() {
        return "chunk " + number + " [" + offset + ", +" + length + "] " + uncompressedLength + " bytes "
                + checksumHex() + (uncompressedChecksum == null ? "" : " / " + uncompressedChecksumHex());
    }
}
