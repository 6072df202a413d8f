package io.updraft.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: local secrets were world-readable (.updraft/local/secrets.properties, 0644). */
class PrivateFilesTest {
    @TempDir
    Path tmp;

    @Test
    void a_new_secret_file_and_its_directory_are_readable_by_their_owner_only() throws Exception {
        Path file = tmp.resolve("local/secrets.properties");

        PrivateFiles.create(file, "gateway-token=abc\n");

        assertThat(Files.readString(file)).isEqualTo("gateway-token=abc\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void a_world_readable_secret_left_by_an_older_version_is_narrowed() throws Exception {
        Path file = tmp.resolve("secrets.properties");
        Files.writeString(file, "x=1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFiles.narrow(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void the_jwt_signing_key_is_created_owner_only_and_narrowed_when_loaded() throws Exception {
        Path keys = tmp.resolve("keys");
        DevKeys.in(keys);
        Path privateKey = keys.resolve("jwt-private.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");

        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-rw-rw-"));
        DevKeys.in(keys);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
    }
}
