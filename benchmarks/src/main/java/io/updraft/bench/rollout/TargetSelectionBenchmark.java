package io.updraft.bench.rollout;

import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.rollout.persistence.FilterSql;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;

/**
 * rollout-service's target selection at SQL level: run by the suite ({@code ./updraft bench --only selection},
 * {@code TargetSelectionRun}) in a JVM of its own on rollout-service's packaged class path, against the suite's
 * PostgreSQL ({@code -Dbench.postgres-port=<port>}); {@code -Dbench.devices=1000000} (the suite:
 * {@code -Dbench.selection.devices=…}). Until 2026-12-05 it was rollout-service's
 * {@code src/test/java/io/updraft/rollout/TargetSelectionBenchmark.java}, run by Surefire with a dev stack of its own.
 * On a fresh database migrated by Flyway with the service's own migrations ({@code quarkus.flyway.locations} of its
 * {@code application.properties}) it prints: the cost of the generated {@code version_key} column when N devices are
 * written (against the same insert into a copy of the table without it, the baseline), and how long PostgreSQL takes
 * to select the target set for a few filters compiled by {@link FilterSql}.
 */
public final class TargetSelectionBenchmark {
    private static final int DEVICES = Integer.getInteger("bench.devices", 1_000_000);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\?(\\d+)");
    private static final String ROWS = """
            select 'bench-' || g,
                   jsonb_build_object('model', 'gw-' || (g % 4), 'revision', '1.' || (g % 2),
                                      'region', (array['eu','us','apac'])[1 + g % 3], 'memory', (256 * (1 + g % 8))::text),
                   'gw-' || (g % 4), '1.' || (g % 2), 'rel-' || (g % 5),
                   (g % 3) || '.' || (g % 10) || '.' || (g % 7) || case when g % 11 = 0 then '-rc.' || (g % 4) else '' end,
                   now(), 'DEFAULT'
            from generate_series(1, DEVICES) g""";

    public static void main(String[] args) {
        try {
            run();
            System.out.println("benchmark finished");
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    static void run() throws Exception {
        String port = System.getProperty("bench.postgres-port");
        if (port == null) {
            throw new IllegalStateException("-Dbench.postgres-port missing: run by the suite, ./updraft bench --only "
                    + "selection");
        }
        String server = "jdbc:postgresql://127.0.0.1:" + port + "/";
        String database = "selection_bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", "postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("create database " + database);
        }
        String url = server + database;
        Flyway.configure().dataSource(url, "postgres", "postgres").locations(migrations()).load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
            try (Statement statement = connection.createStatement()) {
                // the same table with the same indexes, but version_key a plain (null) column
                statement.execute("create table device_plain (like device including indexes)");
                long function = millis(statement, "select count(updraft_version_key(installed_version)) from ("
                        + ROWS.replace("DEVICES", String.valueOf(DEVICES)).replace("select 'bench-' || g,",
                                "select 'bench-' || g as device_id,").replace("case when g % 11 = 0 then '-rc.' || (g % 4) else '' end,",
                                "case when g % 11 = 0 then '-rc.' || (g % 4) else '' end as installed_version,") + ") v");
                long rowsOnly = millis(statement, "select count(installed_version) from ("
                        + ROWS.replace("DEVICES", String.valueOf(DEVICES)).replace("case when g % 11 = 0 then '-rc.' || (g % 4) else '' end,",
                                "case when g % 11 = 0 then '-rc.' || (g % 4) else '' end as installed_version,") + ") v");
                System.out.printf(Locale.ROOT, "updraft_version_key alone: %.2f µs per version%n",
                        (function - rowsOnly) * 1000.0 / DEVICES);
                long plain = millis(statement, "insert into device_plain (device_id, attributes, model, revision,"
                        + " installed_release_id, installed_version, last_seen, tenant_id) " + ROWS.replace("DEVICES", String.valueOf(DEVICES)));
                long generated = millis(statement, "insert into device (device_id, attributes, model, revision,"
                        + " installed_release_id, installed_version, last_seen, tenant_id) " + ROWS.replace("DEVICES", String.valueOf(DEVICES)));
                statement.execute("analyze device");
                System.out.printf(Locale.ROOT, "insert %,d devices: %,d ms without version_key, %,d ms with it"
                        + " (+%.2f µs per device)%n", DEVICES, plain, generated,
                        (generated - plain) * 1000.0 / DEVICES);
            }
            for (String filter : List.of("version < \"2.0.0\"",
                    "model == \"gw-2\" and version < \"2.0.0\" and region in (\"eu\",\"us\")",
                    "version >= \"1.5.0-rc.1\" and version < \"1.6.0\"",
                    "memory >= 1024 and not region == \"apac\"",
                    "(model == \"gw-1\" or revision == \"1.1\") and region != \"us\"")) {
                select(connection, filter);
                select(connection, filter); // the second run is the one that counts: a warm cache, as in production
            }
        }
    }

    /** The service's own Flyway locations, from the application.properties of its packaged jar. */
    private static String[] migrations() throws Exception {
        Properties service = new Properties();
        java.net.URL jar = FilterSql.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream in = java.net.URI.create("jar:" + jar + "!/application.properties").toURL().openStream()) {
            service.load(in);
        }
        return Arrays.stream(service.getProperty("quarkus.flyway.locations", "db/migration").split(","))
                .map(location -> "classpath:" + location.strip()).toArray(String[]::new);
    }

    private static void select(Connection connection, String filter) throws SQLException {
        List<Object> bound = new ArrayList<>();
        String condition = FilterSql.condition(FilterParser.parse(filter), value -> {
            bound.add(value);
            return "?" + bound.size();
        });
        // JDBC numbers placeholders by occurrence: expand ?n into ? with the value repeated
        List<Object> values = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(condition);
        StringBuilder sql = new StringBuilder();
        while (matcher.find()) {
            values.add(bound.get(Integer.parseInt(matcher.group(1)) - 1));
            matcher.appendReplacement(sql, "?");
        }
        matcher.appendTail(sql);
        try (PreparedStatement statement = connection.prepareStatement(
                "select count(*) from device d where " + sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            long start = System.nanoTime();
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                System.out.printf(Locale.ROOT, "select %-70s %,9d of %,d devices in %,6d ms%n", filter,
                        result.getLong(1), DEVICES, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    private static long millis(Statement statement, String sql) throws SQLException {
        long start = System.nanoTime();
        statement.execute(sql);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
