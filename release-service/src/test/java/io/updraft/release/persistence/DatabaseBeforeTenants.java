package io.updraft.release.persistence;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.updraft.devstack.DevStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A release database as the service left it before tenants (Flyway {@code target} 6, the last migration before V7/V8),
 * with rows in every table; the service under test then starts on it and migrates it in place. Ordered after
 * UpdraftStackResource, whose database it replaces.
 */
public class DatabaseBeforeTenants implements QuarkusTestResourceLifecycleManager {
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

    @Override
    public Map<String, String> start() {
        DevStack stack = DevStack.shared();
        try (Connection admin = DriverManager.getConnection(stack.jdbcUrl("postgres"), DevStack.DB_USER,
                DevStack.DB_PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
            statement.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String url = stack.jdbcUrl(DATABASE);
        Flyway.configure().dataSource(url, DevStack.DB_USER, DevStack.DB_PASSWORD)
                .locations("classpath:db/migration", "classpath:db/updraft-shared").target("6").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, DevStack.DB_USER, DevStack.DB_PASSWORD);
                Statement insert = connection.createStatement()) {
            insert.execute("""
                    insert into releases (id, name, version, state, notes, created_at, state_changed_at)
                    values ('%1$s', '%3$s', '1.0.0', 'PUBLISHED', 'before tenants', now(), now()),
                           ('%2$s', '%3$s', '1.1.0', 'DRAFT', null, now(), now())""".formatted(RELEASE_ID, DRAFT_ID, NAME));
            insert.execute("""
                    insert into release_hardware (release_id, position, model, revision)
                    values ('%1$s', 0, 'gw-100', '1.0'), ('%1$s', 1, 'gw-200', '*')""".formatted(RELEASE_ID));
            insert.execute("insert into release_label (release_id, label_key, label_value) values ('%s', 'git.sha',"
                    .formatted(RELEASE_ID) + " 'abc123')");
            insert.execute("""
                    insert into artifacts (id, release_id, part, filename, size, sha256, sha1, md5, role)
                    values (%d, '%s', 'os', 'fw.swu', %d, '%s', '%s', '%s', 'full')""".formatted(ARTIFACT_ID,
                    RELEASE_ID, BYTES.length, SHA256, digest("SHA-1"), digest("MD5")));
            insert.execute("""
                    insert into uploads (id, token_sha256, filename, state, created_at, expires_at)
                    values ('%s', '%s', 'later.swu', 'CREATED', now(), now() + interval '1 hour')"""
                    .formatted(UPLOAD_ID, "0".repeat(64)));
            insert.execute("insert into zchunk_indexes (sha256, header_size, chunk_count) values ('" + "a".repeat(64)
                    + "', 100, 1)");
            insert.execute("insert into zchunk_chunks (sha256, number, file_offset, length, uncompressed_length,"
                    + " checksum) values ('" + "a".repeat(64) + "', 1, 100, 10, 20, 'abcd')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.createDirectories(STORE);
            Files.write(STORE.resolve(SHA256), BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url", url);
    }

    @Override
    public void stop() {
    }

    @Override
    public int order() {
        return 100;
    }

    private static String digest(String algorithm) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
