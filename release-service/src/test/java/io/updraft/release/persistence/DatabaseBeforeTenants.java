package io.updraft.release.persistence;

import io.updraft.testsupport.DatabaseAtVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A release database as the service left it before tenants (Flyway {@code target} 6, the last migration before V7/V8),
 * with rows in every table and the artifact's bytes in the store; the service under test then starts on it and
 * migrates it in place.
 */
public class DatabaseBeforeTenants extends DatabaseAtVersion {
    public static final String RELEASE_ID = "0d3c5a84-8f0e-4b43-9e2a-5d6f6c1b7a01";
    public static final String DRAFT_ID = "0d3c5a84-8f0e-4b43-9e2a-5d6f6c1b7a02";
    public static final String UPLOAD_ID = "0d3c5a84-8f0e-4b43-9e2a-5d6f6c1b7a03";
    public static final String NAME = "fw-before-tenants-" + UUID.randomUUID();
    public static final long ARTIFACT_ID = 4242;
    public static final byte[] BYTES = "the bytes of an artifact published before tenants existed\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final String SHA256 = digest("SHA-256");
    /** %test.updraft.storage.dir, where the artifact's bytes were stored. */
    private static final Path STORE = Path.of("target/test-data/artifacts");
    static final String DATABASE = "release_before_tenants";

    public DatabaseBeforeTenants() {
        super(DATABASE, "6");
    }

    @Override
    protected List<String> fill() {
        return List.of(
                """
                    insert into releases (id, name, version, state, notes, created_at, state_changed_at)
                    values ('%1$s', '%3$s', '1.0.0', 'PUBLISHED', 'before tenants', now(), now()),
                           ('%2$s', '%3$s', '1.1.0', 'DRAFT', null, now(), now())""".formatted(RELEASE_ID, DRAFT_ID, NAME),
                """
                    insert into release_hardware (release_id, position, model, revision)
                    values ('%1$s', 0, 'gw-100', '1.0'), ('%1$s', 1, 'gw-200', '*')""".formatted(RELEASE_ID),
                "insert into release_label (release_id, label_key, label_value) values ('%s', 'git.sha',"
                    .formatted(RELEASE_ID) + " 'abc123')",
                """
                    insert into artifacts (id, release_id, part, filename, size, sha256, sha1, md5, role)
                    values (%d, '%s', 'os', 'fw.swu', %d, '%s', '%s', '%s', 'full')""".formatted(ARTIFACT_ID,
                    RELEASE_ID, BYTES.length, SHA256, digest("SHA-1"), digest("MD5")),
                """
                    insert into uploads (id, token_sha256, filename, state, created_at, expires_at)
                    values ('%s', '%s', 'later.swu', 'CREATED', now(), now() + interval '1 hour')"""
                    .formatted(UPLOAD_ID, "0".repeat(64)),
                "insert into zchunk_indexes (sha256, header_size, chunk_count) values ('" + "a".repeat(64)
                    + "', 100, 1)",
                "insert into zchunk_chunks (sha256, number, file_offset, length, uncompressed_length,"
                    + " checksum) values ('" + "a".repeat(64) + "', 1, 100, 10, 20, 'abcd')");
    }

    /** The artifact's bytes in the store, where the service before tenants wrote them. */
    @Override
    protected void leaveOutsideTheDatabase() {
        try {
            Files.createDirectories(STORE);
            Files.write(STORE.resolve(SHA256), BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String algorithm) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
