package io.updraft.zchunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.updraft.zchunk.ZchunkFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's refusals, each with its reason, and that hostile bytes never cost more than they weigh. */
class ZchunkVerifierTest {

    @TempDir
    static Path dir;
    static byte[] file;
    static ZchunkHeader header;

    @BeforeAll
    static void writeOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZchunkWriter.write(new ByteArrayInputStream(Inputs.imageLike(600_000, 31)), out, dir);
        file = out.toByteArray();
        header = ZchunkHeader.parse(file, file.length);
    }

    @Test
    void a_good_file_verifies_whole_and_fed_in_any_pieces() throws Exception {
        assertThat(ZchunkVerifier.verify(new ByteArrayInputStream(file)).chunks()).isEqualTo(header.chunks());
        Random r = new Random(1);
        for (int round = 0; round < 20; round++) {
            ZchunkVerifier v = new ZchunkVerifier();
            for (int at = 0; at < file.length; ) {
                int n = Math.min(file.length - at, 1 + r.nextInt(round % 2 == 0 ? 7 : 70_000));
                v.update(file, at, n);
                at += n;
            }
            assertThat(v.finish().length()).isEqualTo(header.length());
        }
        assertThat(header.fileLength()).isEqualTo(file.length);
        assertThat(header.dataChunks()).hasSizeGreaterThan(5);
    }

    @Test
    void compints_are_read_as_the_format_says_and_overlong_ones_refused() throws Exception {
        for (long v : new long[] {0, 1, 127, 128, 16_383, 16_384, 1L << 40, (1L << 62) - 1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Compint.write(out, v);
            byte[] b = out.toByteArray();
            assertThat(new Compint.Cursor(b, 0, b.length, 0).compint("x")).isEqualTo(v);
        }
        assertThat(new Compint.Cursor(new byte[] {0x05, (byte) 0x81}, 0, 2, 0).compint("x")).isEqualTo(5 + 128);
        byte[] tenBytes = new byte[10];
        tenBytes[9] = (byte) 0x81;
        assertThatThrownBy(() -> new Compint.Cursor(tenBytes, 0, 10, 0).compint("chunk length"))
                .isInstanceOf(ZchunkFormatException.class).hasMessageContaining("chunk length")
                .hasMessageContaining("longer than 9 bytes");
        assertThatThrownBy(() -> new Compint.Cursor(new byte[] {1, 2}, 0, 2, 40).compint("index size"))
                .isInstanceOf(ZchunkFormatException.class).hasMessageContaining("byte 40")
                .extracting(e -> ((ZchunkFormatException) e).reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void each_damage_is_refused_with_its_reason() throws Exception {
        assertReason(Arrays.copyOf(file, 3), Reason.TRUNCATED);
        byte[] magic = file.clone();
        magic[1] = 'Y';
        assertReason(magic, Reason.BAD_MAGIC);
        byte[] hashType = file.clone();
        hashType[5] = (byte) 0x85;
        assertReason(hashType, Reason.UNSUPPORTED);
        byte[] headerByte = file.clone();
        headerByte[(int) header.length() - 1] ^= 0x01;
        assertReason(headerByte, Reason.HEADER_CHECKSUM);
        ZchunkChunk c = header.dataChunks().get(3);
        byte[] chunkByte = file.clone();
        chunkByte[(int) (header.length() + c.offset())] ^= 0x10;
        assertReason(chunkByte, Reason.CHUNK_CHECKSUM);
        byte[] trailing = Arrays.copyOf(file, file.length + 1);
        assertReason(trailing, Reason.TRAILING_DATA);
        assertReason(Arrays.copyOf(file, file.length - 1), Reason.TRUNCATED);

        // the header's own checksum recomputed, so only the inner rule can catch it
        byte[] uncompressedSum = file.clone();
        uncompressedSum[indexOf(file, c.uncompressedChecksum())] ^= 0x01;
        assertReason(rehash(uncompressedSum), Reason.UNCOMPRESSED_CHECKSUM);

        byte[] garbage = file.clone();
        int at = (int) (header.length() + c.offset());
        byte[] noise = Inputs.random((int) c.length(), 9);
        System.arraycopy(noise, 0, garbage, at, noise.length);
        System.arraycopy(sha256(noise), 0, garbage, indexOf(file, c.checksum()), 32);
        assertReason(rehash(garbage), Reason.UNDECODABLE_CHUNK);

        byte[] flags = file.clone();
        int flagsAt = 5 + 1 + 2 + 32 + 32; // magic, checksum type, header size (2 bytes here), two SHA-256
        assertThat(flags[flagsAt]).isEqualTo((byte) 0x84);
        flags[flagsAt] = (byte) 0x8c; // flag 3, unknown
        assertReason(rehash(flags), Reason.UNSUPPORTED);
    }

    @Test
    void declared_sizes_never_decide_what_is_allocated() throws Exception {
        // a lead declaring a 60 MiB header, followed by 100 bytes
        ByteArrayOutputStream lead = new ByteArrayOutputStream();
        lead.writeBytes(ZchunkHeader.MAGIC);
        Compint.write(lead, 1);
        Compint.write(lead, 60L << 20);
        lead.writeBytes(new byte[100]);
        long before = allocated();
        assertReason(lead.toByteArray(), Reason.TRUNCATED);
        assertThat(allocated() - before).as("bytes allocated").isLessThan(1 << 20);

        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        huge.writeBytes(ZchunkHeader.MAGIC);
        Compint.write(huge, 1);
        Compint.write(huge, 1L << 40);
        assertReason(huge.toByteArray(), Reason.TOO_LARGE);

        // a chunk count far above what the index can hold
        byte[] count = file.clone();
        int countAt = indexOf(file, new byte[] {(byte) 0x81}, headerIndexStart()) + 1;
        count[countAt] = 0x7f;
        count[countAt + 1] = 0x7f;
        count[countAt + 2] = (byte) 0xff;
        ZchunkFormatException e = reasonOf(rehash(count));
        assertThat(e.reason()).isIn(Reason.TOO_LARGE, Reason.MALFORMED_HEADER, Reason.MALFORMED_INTEGER,
                Reason.TRUNCATED);
    }

    @Test
    void random_mutations_end_in_a_format_exception_or_a_verified_file_never_anything_else() throws Exception {
        Random r = new Random(20261206);
        Map<Reason, Integer> seen = new EnumMap<>(Reason.class);
        int accepted = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] m = mutate(file, r, round % 3 == 0 ? (int) header.length() : file.length);
            if (round % 2 == 0) {
                m = rehash(m); // past the header checksum, into the parser and the chunks
            }
            long before = allocated();
            try {
                ZchunkVerifier.verify(new ByteArrayInputStream(m));
                accepted++;
            } catch (ZchunkFormatException ex) {
                seen.merge(ex.reason(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("round " + round + " threw " + t, t);
            }
            assertThat(allocated() - before).as("round " + round).isLessThan(64L << 20);
        }
        System.out.println("1500 mutations: " + accepted + " accepted (a byte set to its own value, or in the data checksum that a -u file leaves zero and unchecked), "
                + seen);
        assertThat(seen).containsKeys(Reason.HEADER_CHECKSUM, Reason.CHUNK_CHECKSUM, Reason.TRUNCATED);
    }

    private static byte[] mutate(byte[] base, Random r, int within) {
        byte[] m = base.clone();
        switch (r.nextInt(4)) {
            case 0 -> m[r.nextInt(within)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> {
                for (int i = 0; i < 1 + r.nextInt(8); i++) {
                    m[r.nextInt(within)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> m = Arrays.copyOf(m, r.nextInt(m.length));
            default -> {
                int at = r.nextInt(within);
                m[at] = (byte) 0x7f; // a continuation byte: lengthens a compint
            }
        }
        return m;
    }

    /** Recomputes the lead's SHA-256 header checksum over whatever the header now holds. */
    static byte[] rehash(byte[] f) throws Exception {
        if (f.length < 8) {
            return f;
        }
        Compint.Cursor c = new Compint.Cursor(f, 5, f.length, 0);
        try {
            if (c.compint("t") != 1) {
                return f;
            }
            long size = c.compint("s");
            int digestAt = c.position();
            long end = digestAt + 32 + size;
            if (end > f.length) {
                return f;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(f, 0, digestAt);
            md.update(f, digestAt + 32, (int) (end - digestAt - 32));
            byte[] out = f.clone();
            System.arraycopy(md.digest(), 0, out, digestAt, 32);
            return out;
        } catch (ZchunkFormatException e) {
            return f;
        }
    }

    private static int headerIndexStart() throws Exception {
        // lead (5 + 1 + 2 + 32), data checksum 32, flags, compression, index size (2 bytes)
        return 5 + 1 + 2 + 32 + 32 + 1 + 1 + 2;
    }

    private static void assertReason(byte[] bytes, Reason reason) {
        assertThat(reasonOf(bytes).reason()).isEqualTo(reason);
    }

    private static ZchunkFormatException reasonOf(byte[] bytes) {
        try {
            ZchunkVerifier.verify(new ByteArrayInputStream(bytes));
        } catch (ZchunkFormatException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, 0);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
