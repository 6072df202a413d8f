package io.updraft.release.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void givenBytesArrivingInOddChunks_whenSpooled_thenTheFileAndTheDigestsEqualAnIndependentComputation()
            throws Exception {
        byte[] bytes = new byte[1_000_003];
        new Random(7).nextBytes(bytes);
        Spool spool = new Spool(dir.resolve(".incoming"));

        Spool.SpooledFile spooled = spool.receive(new Trickle(bytes));

        assertThat(Files.readAllBytes(spooled.path())).isEqualTo(bytes);
        assertThat(spooled.hashes().size()).isEqualTo(bytes.length);
        assertThat(spooled.hashes().sha256()).isEqualTo(hex("SHA-256", bytes));
        assertThat(spooled.hashes().sha1()).isEqualTo(hex("SHA-1", bytes));
        assertThat(spooled.hashes().md5()).isEqualTo(hex("MD5", bytes));
    }

    @Test
    void givenAStreamThatFailsHalfway_whenSpooled_thenNoPartialFileIsLeft() throws Exception {
        Spool spool = new Spool(dir.resolve(".incoming"));
        InputStream broken = new java.io.SequenceInputStream(new ByteArrayInputStream(new byte[100_000]),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("client went away");
                    }
                });

        assertThatThrownBy(() -> spool.receive(broken)).hasMessageContaining("client went away");

        try (Stream<Path> files = Files.list(dir.resolve(".incoming"))) {
            assertThat(files).isEmpty();
        }
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    /** Hands out the bytes 1 to 9000 at a time, as a network does. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random sizes = new Random(3);
        private int position;

        Trickle(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + sizes.nextInt(9000)), bytes.length - position);
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }
    }
}
