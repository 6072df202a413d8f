package io.updraft.bench;

import io.updraft.devstack.DevStack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where PostgreSQL's time went during a measured window, per statement and database, from {@code pg_stat_statements}
 * (which the dev stack loads under the benchmark profile). {@link #reset()} at the window's start, {@link #print} at
 * its end. Without the extension (containers, or another profile) it says so and prints nothing else.
 */
final class StatementProfile {
    record Row(String database, long calls, double totalMs, long rows, String query) {
        double meanMicros() {
            return calls == 0 ? 0 : totalMs * 1000 / calls;
        }
    }

    private final String jdbcUrl;
    private String unavailable;

    /** {@code jdbcUrl}: any database of the server; the view covers all of them. */
    StatementProfile(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    void reset() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("select pg_stat_statements_reset()");
        } catch (SQLException e) {
            unavailable = e.getMessage();
        }
    }

    List<Row> top(int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select d.datname, s.calls, s.total_exec_time, s.rows,"
                        + " s.query from pg_stat_statements s join pg_database d on d.oid = s.dbid"
                        + " order by s.total_exec_time desc limit " + limit)) {
            while (result.next()) {
                rows.add(new Row(result.getString(1), result.getLong(2), result.getDouble(3), result.getLong(4),
                        result.getString(5)));
            }
        }
        return rows;
    }

    double totalMs() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select coalesce(sum(total_exec_time), 0)"
                        + " from pg_stat_statements")) {
            result.next();
            return result.getDouble(1);
        }
    }

    /** Prints the {@code limit} statements that took the most execution time since {@link #reset()}. */
    void print(Consumer<String> say, int limit, double windowSeconds) {
        if (unavailable != null) {
            say.accept("PostgreSQL statements: not profiled (" + unavailable.lines().findFirst().orElse("") + ")");
            return;
        }
        try {
            double total = totalMs();
            say.accept(String.format("PostgreSQL statements over %.0f s: %,.0f ms executing in all (%.2f of a core);"
                    + " the %d that took the most:", windowSeconds, total, total / 1000 / windowSeconds, limit));
            say.accept(String.format("  %-9s %10s %10s %8s %6s  %s", "database", "calls", "total ms", "mean µs",
                    "share", "statement"));
            for (Row row : top(limit)) {
                say.accept(String.format("  %-9s %,10d %,10.0f %,8.0f %5.1f%%  %s", row.database(), row.calls(),
                        row.totalMs(), row.meanMicros(), total == 0 ? 0 : 100 * row.totalMs() / total,
                        abbreviate(row.query())));
            }
        } catch (SQLException e) {
            say.accept("PostgreSQL statements: not read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    static String abbreviate(String query) {
        String flat = query.replaceAll("\\s+", " ").strip();
        return flat.length() <= 140 ? flat : flat.substring(0, 137) + "...";
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, DevStack.DB_USER, DevStack.DB_PASSWORD);
    }
}
