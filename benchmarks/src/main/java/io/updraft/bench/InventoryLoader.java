package io.updraft.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * Puts devices straight into rollout-service's inventory ({@code device}, as its Flyway migration V2 defines it) with
 * {@code COPY}: what the inventory would hold after every device registered and reported its attributes through
 * device-reports — a million rows in seconds instead of a million reports — then vacuumed and analysed.
 */
final class InventoryLoader {
    /** A hardware cohort and its share of the fleet. */
    record Cohort(String model, String revision, double share) {
        String name() {
            return model + ":" + revision;
        }
    }

    /** Four cohorts of uneven size, three models: what a stratified wave has to split. */
    static final List<Cohort> COHORTS = List.of(new Cohort("gw-100", "1.0", 0.40), new Cohort("gw-100", "2.0", 0.25),
            new Cohort("gw-200", "1.0", 0.20), new Cohort("gw-300", "A", 0.15));

    private InventoryLoader() {
    }

    /** Device {@code i} of {@code count}: cohorts in blocks by their share. */
    static Cohort cohortOf(int i, int count) {
        double position = (i + 0.5) / count;
        double upTo = 0;
        for (Cohort cohort : COHORTS) {
            upTo += cohort.share();
            if (position < upTo) {
                return cohort;
            }
        }
        return COHORTS.get(COHORTS.size() - 1);
    }

    private static String row(String prefix, String fleet, int i, int count) {
        Cohort cohort = cohortOf(i, count);
        String attributes = String.format(Locale.ROOT, "{\"model\":\"%s\",\"revision\":\"%s\",\"fleet\":\"%s\"}",
                cohort.model(), cohort.revision(), fleet);
        return String.format(Locale.ROOT, "DEFAULT,%s-%07d,%s,%s,%s,1.0.0,2026-01-01 00:00:00+00%n", prefix, i,
                CsvRows.jsonField(attributes), cohort.model(), cohort.revision());
    }

    /**
     * Loads {@code count} devices {@code <prefix>-0000000…} with attribute {@code fleet=<fleet>} (what a rollout
     * targets) on version 1.0.0.
     */
    static long load(String jdbcUrl, String user, String password, String prefix, String fleet, int count)
            throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            long copied = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy device (tenant_id, device_id, attributes, model, revision, installed_version, last_seen)"
                            + " from stdin with (format csv)", new CsvRows(count, i -> row(prefix, fleet, i, count)));
            // vacuumed as well as analysed, as autovacuum leaves a fleet's inventory: otherwise autovacuum's first pass
            // over the rows just copied starts within its minute, and it ran for 3-4 s inside the fan-out benchmark's
            // raw producer run (two runs of 7 Dec, sampled from pg_stat_activity)
            try (Statement statement = connection.createStatement()) {
                statement.execute("vacuum (analyze) device");
            }
            return copied;
        }
    }
}
