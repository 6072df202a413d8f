package io.updraft.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalDouble;

/**
 * What PostgreSQL needs at least to keep one durable row per device of a fan-out, measured on the fan-out's own
 * database after it: one set-based insert of a fleet's action rows into a scratch table shaped as rollout-service's
 * {@code device_action} ({@code like device_action including all}: its columns, primary key, unique and cohort
 * indexes), action ids from a sequence as the service's, in device order, committed. Its CPU per row is the
 * PostgreSQL share of the "one durable row per device" ceiling ({@link FanoutCeiling}). The scratch table and its
 * sequence are dropped afterwards.
 */
final class DurableRowFloor {
    private DurableRowFloor() {
    }

    /**
     * @param clusterCpu every PostgreSQL process's CPU seconds over the insert and its commit
     * @param backendCpu the inserting backend's own
     */
    record Result(long rows, double seconds, OptionalDouble clusterCpu, OptionalDouble backendCpu) {
        /** The cluster's CPU µs per row, NaN when not measured. */
        double clusterMicrosPerRow() {
            return clusterCpu.isPresent() && rows > 0 ? clusterCpu.getAsDouble() * 1e6 / rows : Double.NaN;
        }
    }

    /** Inserts one action row per device of {@code fleet} (the inventory's {@code fleet} attribute) and times it. */
    static Result measure(String jdbc, String user, String password, Path postgresDataDir, String fleet)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbc, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists bench_floor_action");
            statement.execute("drop sequence if exists bench_floor_seq");
            statement.execute("create sequence bench_floor_seq");
            // autovacuum off for the scratch table: its first pass would otherwise land in the measured seconds
            statement.execute("create table bench_floor_action (like device_action including all)"
                    + " with (autovacuum_enabled = false)");
            long backend;
            try (ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
                row.next();
                backend = row.getLong(1);
            }
            // as the service's planning transaction: enough work_mem to order a million devices in memory
            statement.execute("set work_mem = '256MB'");
            OptionalDouble clusterBefore = ProcessCpu.postgresSeconds(postgresDataDir);
            OptionalDouble backendBefore = ProcessCpu.processSeconds(backend);
            long started = System.nanoTime();
            long rows;
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into bench_floor_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                                    rollback, state, created_at, updated_at, tenant_id)
                    select nextval('bench_floor_seq'), 'bench-floor', d.device_id, 1, d.model || ':' || d.revision,
                           'bench-release', '2.0.0', false, 'SCHEDULED', now(), now(), d.tenant_id
                    from device d where d.tenant_id = 'DEFAULT' and d.attributes ->> 'fleet' = ?
                    order by d.device_id""")) {
                insert.setString(1, fleet);
                rows = insert.executeUpdate(); // autocommit: the commit (and its WAL flush) is inside the timing
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            OptionalDouble clusterCpu = difference(clusterBefore, ProcessCpu.postgresSeconds(postgresDataDir));
            OptionalDouble backendCpu = difference(backendBefore, ProcessCpu.processSeconds(backend));
            statement.execute("drop table bench_floor_action");
            statement.execute("drop sequence bench_floor_seq");
            return new Result(rows, seconds, clusterCpu, backendCpu);
        }
    }

    private static OptionalDouble difference(OptionalDouble before, OptionalDouble after) {
        return before.isPresent() && after.isPresent() ? OptionalDouble.of(after.getAsDouble() - before.getAsDouble())
                : OptionalDouble.empty();
    }
}
