package io.updraft.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.updraft.devstack.DevStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A service's database as an earlier version of the service left it, for tests that migrate a database in place: a
 * fresh database on the dev stack's PostgreSQL, Flyway-migrated up to {@code target} only (the service's own
 * migrations and the shared ones), then filled by the subclass's SQL. The service under test starts on it and runs
 * the later migrations. Ordered after UpdraftStackResource, whose database it replaces.
 */
public abstract class DatabaseAtVersion implements QuarkusTestResourceLifecycleManager {
    private final String database;
    private final String target;

    /**
     * @param database the database to create (dropped first if a previous run left it)
     * @param target the Flyway version it is migrated to, the last one before the migrations under test
     */
    protected DatabaseAtVersion(String database, String target) {
        this.database = database;
        this.target = target;
    }

    /** The statements that write the rows of the earlier version, run in order after the migration. */
    protected abstract List<String> fill();

    /** What else the earlier version left outside the database (files); nothing by default. */
    protected void leaveOutsideTheDatabase() {
    }

    @Override
    public Map<String, String> start() {
        DevStack stack = DevStack.shared();
        try (Connection admin = DriverManager.getConnection(stack.jdbcUrl("postgres"), DevStack.DB_USER,
                DevStack.DB_PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String url = stack.jdbcUrl(database);
        Flyway.configure().dataSource(url, DevStack.DB_USER, DevStack.DB_PASSWORD)
                .locations("classpath:db/migration", "classpath:db/updraft-shared").target(target).load().migrate();
        try (Connection connection = DriverManager.getConnection(url, DevStack.DB_USER, DevStack.DB_PASSWORD);
                Statement insert = connection.createStatement()) {
            for (String sql : fill()) {
                insert.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(database + " at V" + target + ": " + e.getMessage(), e);
        }
        leaveOutsideTheDatabase();
        return Map.of("quarkus.datasource.jdbc.url", url);
    }

    @Override
    public void stop() {
    }

    @Override
    public int order() {
        return 100;
    }
}
