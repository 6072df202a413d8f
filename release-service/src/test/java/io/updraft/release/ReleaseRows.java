package io.updraft.release;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Looks straight into the release database, to prove what a request did or did not write. */
public final class ReleaseRows {
    private final DataSource dataSource;

    public ReleaseRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long releasesNamed(String name) throws SQLException {
        return count("select count(*) from releases where name = ?", name);
    }

    public long artifactsWithSha256(String sha256) throws SQLException {
        return count("select count(*) from artifacts where sha256 = ?", sha256);
    }

    public long outboxRows() throws SQLException {
        return count("select count(*) from outbox");
    }

    /** Outbox rows whose event mentions {@code text} (e.g. a release name): what a refused publish must not leave. */
    public long outboxRowsMentioning(String text) throws SQLException {
        return count("select count(*) from outbox where strpos(payload::text, ?) > 0", text);
    }

    public long uploads() throws SQLException {
        return count("select count(*) from uploads");
    }

    public long uploadsWithId(String id) throws SQLException {
        return count("select count(*) from uploads where id = ?", id);
    }

    private long count(String sql, String... args) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setString(i + 1, args[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
