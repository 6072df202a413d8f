package io.updraft.release.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.Trickle;
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

        Spool.SpooledFile spooled = spool.receive(new Trickle(bytes, 9000, 3));

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
}
