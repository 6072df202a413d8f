package io.updraft.zchunk;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.updraft.zchunk.ZchunkFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Verifies a .zck fed to it in pieces, as it arrives: the header checksum, every chunk's checksum against its stored
 * bytes, every chunk's decompressed length and (with the uncompressed-source flag) its uncompressed checksum, the
 * data checksum (without that flag; with it the format leaves the data checksum zero), and that the file ends right
 * after its last chunk. Memory: the header (at most {@code maxHeader}) and one chunk (at most {@code maxChunk}),
 * each grown only as its bytes arrive, never sized from a length the file declares.
 */
public final class ZchunkVerifier {

    /** Largest chunk accepted, stored or decompressed; the zck tool's own ceiling is 10 MB. */
    public static final int DEFAULT_MAX_CHUNK = 16 << 20;
    /** zstd window ceiling (2^25 = 32 MiB) so a frame cannot make the decoder reserve more. */
    private static final int WINDOW_LOG_MAX = 25;

    private final int maxHeader;
    private final int maxChunk;
    private byte[] head = new byte[64];
    private int headFill;
    private long headLength = -1;
    private ZchunkHeader header;
    private MessageDigest dataDigest;
    private int chunkIndex;
    private byte[] chunk = new byte[0];
    private int chunkFill;
    private byte[] dictionary;
    private long received;

    public ZchunkVerifier() {
        this(ZchunkHeader.DEFAULT_MAX_HEADER, DEFAULT_MAX_CHUNK);
    }

    public ZchunkVerifier(int maxHeader, int maxChunk) {
        this.maxHeader = maxHeader;
        this.maxChunk = maxChunk;
    }

    /** Reads {@code in} to its end and verifies it. */
    public static ZchunkHeader verify(InputStream in) throws IOException, ZchunkFormatException {
        ZchunkVerifier verifier = new ZchunkVerifier();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            verifier.update(buffer, 0, n);
        }
        return verifier.finish();
    }

    public void update(byte[] bytes, int offset, int length) throws ZchunkFormatException {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (header == null) {
                at = takeHeader(bytes, at, end);
            } else {
                at = takeChunk(bytes, at, end);
            }
        }
    }

    /** The verified header once the whole file has been fed; refuses a file that ended early. */
    public ZchunkHeader finish() throws ZchunkFormatException {
        if (header == null) {
            throw new ZchunkFormatException(Reason.TRUNCATED, "the file ends at byte " + received
                    + ", inside its header" + (headLength > 0 ? " (" + headLength + " bytes declared)" : ""));
        }
        skipEmptyChunks();
        if (chunkIndex < header.chunks().size()) {
            ZchunkChunk c = header.chunks().get(chunkIndex);
            throw new ZchunkFormatException(Reason.TRUNCATED, "the file ends at byte " + received + ", inside chunk "
                    + c.number() + " (" + chunkFill + " of its " + c.length() + " bytes)");
        }
        if (!header.uncompressedSource()) {
            byte[] sum = header.checksumType().finish(dataDigest);
            if (!MessageDigest.isEqual(sum, header.dataChecksum())) {
                throw new ZchunkFormatException(Reason.DATA_CHECKSUM, "data checksum differs from the chunks' bytes");
            }
        }
        return header;
    }

    private int takeHeader(byte[] bytes, int at, int end) throws ZchunkFormatException {
        int want = headLength < 0 ? 1 : (int) (headLength - headFill);
        int n = Math.min(want, end - at);
        if (headFill + n > head.length) {
            head = Arrays.copyOf(head, (int) Math.min(Math.max(head.length * 2L, headFill + n),
                    headLength < 0 ? Integer.MAX_VALUE : headLength));
        }
        System.arraycopy(bytes, at, head, headFill, n);
        headFill += n;
        received += n;
        if (headLength < 0) {
            headLength = ZchunkHeader.declaredLength(head, headFill, maxHeader);
        }
        if (headLength >= 0 && headFill == headLength) {
            header = ZchunkHeader.parse(head, headFill);
            head = null;
            dataDigest = header.checksumType().newDigest();
            for (ZchunkChunk c : header.chunks()) {
                if (c.length() > maxChunk || c.uncompressedLength() > maxChunk) {
                    throw new ZchunkFormatException(Reason.TOO_LARGE, "chunk " + c.number() + " is "
                            + Math.max(c.length(), c.uncompressedLength()) + " bytes, at most " + maxChunk
                            + " are accepted");
                }
            }
        }
        return at + n;
    }

    private int takeChunk(byte[] bytes, int at, int end) throws ZchunkFormatException {
        skipEmptyChunks();
        if (chunkIndex >= header.chunks().size()) {
            throw new ZchunkFormatException(Reason.TRAILING_DATA, "bytes follow the last chunk, from byte "
                    + received + " (the header declares " + header.fileLength() + ")");
        }
        ZchunkChunk c = header.chunks().get(chunkIndex);
        int n = (int) Math.min(c.length() - chunkFill, end - at);
        if (chunkFill + n > chunk.length) {
            chunk = Arrays.copyOf(chunk, (int) Math.min(Math.max(chunk.length * 2L, chunkFill + n), c.length()));
        }
        System.arraycopy(bytes, at, chunk, chunkFill, n);
        chunkFill += n;
        received += n;
        if (!header.uncompressedSource()) {
            dataDigest.update(bytes, at, n);
        }
        if (chunkFill == c.length()) {
            checkChunk(c);
            chunkIndex++;
            chunkFill = 0;
        }
        return at + n;
    }

    private void skipEmptyChunks() throws ZchunkFormatException {
        while (chunkIndex < header.chunks().size() && header.chunks().get(chunkIndex).length() == 0) {
            ZchunkChunk c = header.chunks().get(chunkIndex);
            if (c.uncompressedLength() != 0) {
                throw new ZchunkFormatException(Reason.CHUNK_LENGTH, "chunk " + c.number()
                        + " stores 0 bytes but declares " + c.uncompressedLength() + " uncompressed");
            }
            chunkIndex++;
        }
    }

    private void checkChunk(ZchunkChunk c) throws ZchunkFormatException {
        ChecksumType type = header.chunkChecksumType();
        boolean storedPlain = header.compressionType() == ZchunkHeader.COMPRESSION_NONE;
        if (!(storedPlain && header.uncompressedSource() && allZero(c.checksum()))) {
            MessageDigest md = type.newDigest();
            md.update(chunk, 0, chunkFill);
            if (!MessageDigest.isEqual(type.finish(md), c.checksum())) {
                throw new ZchunkFormatException(Reason.CHUNK_CHECKSUM, "chunk " + c.number() + " (" + c.length()
                        + " bytes at file offset " + (header.length() + c.offset()) + ") differs from its checksum");
            }
        }
        MessageDigest plain = type.newDigest();
        boolean isDictionary = c.number() == 0;
        ByteArrayOutputStream dictOut = isDictionary ? new ByteArrayOutputStream() : null;
        long produced = storedPlain ? copyPlain(plain, dictOut) : decompress(c, plain, dictOut);
        if (produced != c.uncompressedLength()) {
            throw new ZchunkFormatException(Reason.CHUNK_LENGTH, "chunk " + c.number() + " decompresses to "
                    + produced + " bytes, its index says " + c.uncompressedLength());
        }
        byte[] expected = c.uncompressedChecksum();
        // the dictionary's uncompressed checksum "has no use" (zchunk_format.txt) and libzck 1.2.3 does not write the
        // dictionary's digest there (ZchunkToolsIT, zck -D -u), so it is not checked
        if (expected != null && !isDictionary && !MessageDigest.isEqual(type.finish(plain), expected)) {
            throw new ZchunkFormatException(Reason.UNCOMPRESSED_CHECKSUM, "chunk " + c.number()
                    + " decompressed differs from its uncompressed checksum");
        }
        if (isDictionary) {
            dictionary = dictOut.toByteArray();
        }
    }

    private long copyPlain(MessageDigest plain, ByteArrayOutputStream dictOut) {
        plain.update(chunk, 0, chunkFill);
        if (dictOut != null) {
            dictOut.write(chunk, 0, chunkFill);
        }
        return chunkFill;
    }

    private long decompress(ZchunkChunk c, MessageDigest plain, ByteArrayOutputStream dictOut)
            throws ZchunkFormatException {
        long produced = 0;
        byte[] out = new byte[64 * 1024];
        try (ZstdInputStreamNoFinalizer in = new ZstdInputStreamNoFinalizer(
                new ByteArrayInputStream(chunk, 0, chunkFill))) {
            in.setLongMax(WINDOW_LOG_MAX);
            if (c.number() > 0 && dictionary != null && dictionary.length > 0) {
                in.setDict(dictionary);
            }
            for (int n; (n = in.read(out)) > 0; ) {
                if (produced + n > c.uncompressedLength()) {
                    throw new ZchunkFormatException(Reason.CHUNK_LENGTH, "chunk " + c.number()
                            + " decompresses to more than the " + c.uncompressedLength() + " bytes its index says");
                }
                plain.update(out, 0, n);
                if (dictOut != null) {
                    dictOut.write(out, 0, n);
                }
                produced += n;
            }
            return produced;
        } catch (IOException | RuntimeException e) {
            throw new ZchunkFormatException(Reason.UNDECODABLE_CHUNK, "chunk " + c.number()
                    + " is not valid zstd data: " + e.getMessage(), e);
        }
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
