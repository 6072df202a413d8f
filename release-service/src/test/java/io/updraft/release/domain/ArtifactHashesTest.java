package io.updraft.release.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArtifactHashesTest {

    @Test
    void givenBytesSpanningSeveralBuffers_whenHashing_thenEveryDigestMatchesMessageDigest() throws Exception {
        byte[] bytes = new byte[200_001];
        new Random(42).nextBytes(bytes);

        ArtifactHashes hashes = ArtifactHashes.of(new ByteArrayInputStream(bytes));

        assertThat(hashes.size()).isEqualTo(bytes.length);
        assertThat(hashes.sha256()).isEqualTo(hex("SHA-256", bytes));
        assertThat(hashes.sha1()).isEqualTo(hex("SHA-1", bytes));
        assertThat(hashes.md5()).isEqualTo(hex("MD5", bytes));
    }

    @Test
    void givenNoBytes_whenHashing_thenTheWellKnownEmptyDigests() throws Exception {
        ArtifactHashes hashes = ArtifactHashes.of(new ByteArrayInputStream(new byte[0]));

        assertThat(hashes.size()).isZero();
        assertThat(hashes.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hashes.md5()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
