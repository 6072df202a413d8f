package io.updraft.release.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.release.Trickle;
import io.updraft.zchunk.ZchunkFormatException.Reason;
import io.updraft.zchunk.ZchunkVerifier;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's one pass also verifies a zchunk file, whatever sizes its bytes arrive in; other bytes pass as before. */
class SpoolZchunkTest {
    @TempDir
    Path dir;

    @Test
    void givenAPlainImage_whenSpooledAndZchunked_thenTheZckVerifiesAndItsHashesAreItsBytes() throws Exception {
        Spool spool = new Spool(dir.resolve(".incoming"));
        byte[] image = image(700_000);

        Spool.SpooledFile plain = spool.receive(new Trickle(image, 5000, 1));
        assertThat(plain.zchunk()).as("not a zchunk file").isNull();
        Spool.SpooledFile zck = spool.zchunkOf(plain.path());

        try (InputStream in = Files.newInputStream(zck.path())) {
            assertThat(ZchunkVerifier.verify(in).chunks()).isEqualTo(zck.zchunk().chunks());
        }
        assertThat(zck.hashes().size()).isEqualTo(Files.size(zck.path()));
        assertThat(zck.hashes().sha256()).isEqualTo(io.updraft.release.domain.ArtifactHashes.of(zck.path()).sha256());
        assertThat(zck.zchunk().dataChunks().stream().mapToLong(c -> c.uncompressedLength()).sum())
                .isEqualTo(image.length);

        // the .zck fed back through the spool in odd pieces is recognised and verified
        byte[] bytes = Files.readAllBytes(zck.path());
        Spool.SpooledFile again = spool.receive(new Trickle(bytes, 3, 2));
        assertThat(again.zchunk().chunks()).isEqualTo(zck.zchunk().chunks());
        assertThat(again.zchunk().length()).isEqualTo(zck.zchunk().length());
    }

    @Test
    void givenACorruptZck_whenSpooled_thenRefusedWithTheReasonAndNoFileLeft() throws Exception {
        Spool spool = new Spool(dir.resolve(".incoming"));
        Spool.SpooledFile plain = spool.receive(new Trickle(image(300_000), 5000, 1));
        byte[] bytes = Files.readAllBytes(spool.zchunkOf(plain.path()).path());
        Files.delete(plain.path());
        try (Stream<Path> files = Files.list(dir.resolve(".incoming"))) {
            files.forEach(f -> f.toFile().delete());
        }
        bytes[bytes.length - 10] ^= 1;

        assertThatThrownBy(() -> spool.receive(new Trickle(bytes, 7000, 3)))
                .isInstanceOf(InvalidZchunkException.class)
                .satisfies(e -> assertThat(((InvalidZchunkException) e).reason()).isEqualTo(Reason.CHUNK_CHECKSUM));
        try (Stream<Path> files = Files.list(dir.resolve(".incoming"))) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] image(int size) {
        byte[] b = new byte[size];
        Random r = new Random(size);
        for (int i = 0; i < size; i++) {
            b[i] = (i / 20_000) % 2 == 0 ? (byte) r.nextInt() : (byte) (i % 13);
        }
        return b;
    }
}
