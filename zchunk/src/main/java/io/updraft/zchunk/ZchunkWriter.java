package io.updraft.zchunk;

import com.github.luben.zstd.Zstd;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a .zck from a plain image as {@code zck -u --chunk-hash-type sha256} does, which is what SWUpdate's delta
 * handler needs: {@link BuzhashChunker}'s chunks, each compressed alone with zstd (level 9, the zck tool's default),
 * SHA-256 header and chunk checksums, the uncompressed-source flag with each chunk's uncompressed SHA-256, no
 * dictionary, no signatures. The compressed chunks go to a scratch file first: the header, which comes first in the
 * file, is known only once every chunk is.
 */
public final class ZchunkWriter {

    static final int LEVEL = 9;
    private static final ChecksumType SUM = ChecksumType.SHA256;

    private ZchunkWriter() {
    }

    /** Reads {@code plain} to its end and writes the .zck to {@code out}; {@code scratch} is a directory. */
    public static ZchunkHeader write(InputStream plain, OutputStream out, Path scratch) throws IOException {
        Path body = Files.createTempFile(scratch, "zck-body", ".tmp");
        try {
            List<long[]> lengths = new ArrayList<>();
            List<byte[][]> sums = new ArrayList<>();
            try (OutputStream bodyOut = new BufferedOutputStream(Files.newOutputStream(body), 1 << 16)) {
                byte[] compressed = new byte[(int) Zstd.compressBound(BuzhashChunker.AUTO_MAX)];
                MessageDigest md = SUM.newDigest();
                BuzhashChunker chunker = new BuzhashChunker((bytes, length) -> {
                    long size = Zstd.compressByteArray(compressed, 0, compressed.length, bytes, 0, length, LEVEL);
                    if (Zstd.isError(size)) {
                        throw new IOException("zstd: " + Zstd.getErrorName(size));
                    }
                    md.update(compressed, 0, (int) size);
                    byte[] stored = md.digest();
                    md.update(bytes, 0, length);
                    byte[] uncompressed = md.digest();
                    bodyOut.write(compressed, 0, (int) size);
                    lengths.add(new long[] {size, length});
                    sums.add(new byte[][] {stored, uncompressed});
                });
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = plain.read(buffer)) > 0; ) {
                    chunker.update(buffer, 0, n);
                }
                chunker.finish();
            }
            byte[] header = header(lengths, sums);
            out.write(header);
            Files.copy(body, out);
            return ZchunkHeader.parse(header, header.length);
        } catch (ZchunkFormatException e) {
            throw new IllegalStateException("the header just written does not parse", e);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    private static byte[] header(List<long[]> lengths, List<byte[][]> sums) throws IOException {
        byte[] zero = new byte[SUM.size()];
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        Compint.write(index, SUM.id());
        Compint.write(index, lengths.size() + 1L);
        index.write(zero); // chunk 0: no dictionary
        index.write(zero);
        Compint.write(index, 0);
        Compint.write(index, 0);
        for (int i = 0; i < lengths.size(); i++) {
            index.write(sums.get(i)[0]);
            index.write(sums.get(i)[1]);
            Compint.write(index, lengths.get(i)[0]);
            Compint.write(index, lengths.get(i)[1]);
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(zero); // data checksum: zero with the uncompressed-source flag, as the format asks
        Compint.write(rest, ZchunkHeader.FLAG_UNCOMPRESSED_SOURCE);
        Compint.write(rest, ZchunkHeader.COMPRESSION_ZSTD);
        Compint.write(rest, index.size());
        index.writeTo(rest);
        Compint.write(rest, 0); // signatures
        ByteArrayOutputStream lead = new ByteArrayOutputStream();
        lead.write(ZchunkHeader.MAGIC);
        Compint.write(lead, SUM.id());
        Compint.write(lead, rest.size());
        MessageDigest md = SUM.newDigest();
        md.update(lead.toByteArray());
        md.update(rest.toByteArray());
        lead.write(md.digest());
        rest.writeTo(lead);
        return lead.toByteArray();
    }
}
