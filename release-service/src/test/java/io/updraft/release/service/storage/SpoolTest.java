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

    @Test
    void givenAnUploadAnnouncingMoreThanTheVolumeHolds_whenRoomIsRequired_thenStorageFullBeforeAnythingIsWritten()
            throws Exception {
        Spool spool = new Spool(dir.resolve(".incoming"));

        spool.requireRoom(1);
        assertThatThrownBy(() -> spool.requireRoom(Long.MAX_VALUE)).isInstanceOfSatisfying(StorageFullException.class,
                full -> {
                    assertThat(full.whileWriting()).isFalse();
                    assertThat(full.announced()).isEqualTo(Long.MAX_VALUE);
                    assertThat(full.usable()).isPositive().isLessThan(Long.MAX_VALUE);
                });

        try (Stream<Path> files = Files.list(dir.resolve(".incoming"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void givenAFailedWrite_whenTheVolumeHasRoom_thenOnlyTheSystemsNoSpaceErrorsCountAsFull() {
        IOException noSpace = new IOException("No space left on device");
        IOException quota = new IOException("Disk quota exceeded");
        IOException broken = new IOException("Input/output error");

        assertThat(StorageFullException.ifFull(dir, 10, noSpace)).isNotNull()
                .satisfies(full -> assertThat(full.whileWriting()).isTrue())
                .satisfies(full -> assertThat(full.written()).isEqualTo(10))
                .hasCause(noSpace);
        assertThat(StorageFullException.ifFull(dir, 0, quota)).isNotNull();
        assertThat(StorageFullException.ifFull(dir, 0, broken)).as("an I/O error on a volume with room").isNull();
        assertThat(StorageFullException.ifFull(dir, 0, noSpace).about("upload u (fw.swu)").subject())
                .isEqualTo("upload u (fw.swu)");
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
