package io.updraft.bench;

import io.updraft.devstack.DevStack;
import io.updraft.fleet.FleetScenario;
import io.updraft.fleet.FleetScenario.HardwareMix;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * Puts a simulated fleet into the gateway's and rollout-service's databases with {@code COPY}, as they are once every
 * device has registered and reported its attributes (DeviceRegistered, DeviceAttributesUpdated): the end-to-end
 * benchmark then measures a rollout of a known fleet, not the registration of a new one. Ids and attributes are the
 * ones the simulator's devices use ({@code <idPrefix>-<model>-<nnn>}; model, revision, swVersion, fleet).
 */
final class FleetProvisioner {
    private FleetProvisioner() {
    }

    static void provision(DevStack stack, FleetScenario scenario) throws SQLException, IOException {
        List<String[]> devices = new ArrayList<>(); // id, model, revision, attributes JSON
        for (HardwareMix mix : scenario.hardware()) {
            for (int n = 0; n < mix.count(); n++) {
                String attributes = String.format(Locale.ROOT,
                        "{\"model\":\"%s\",\"revision\":\"%s\",\"swVersion\":\"%s\",\"fleet\":\"%s\"}", mix.model(),
                        mix.revision(), scenario.initialVersion(), scenario.idPrefix());
                devices.add(new String[] { String.format(Locale.ROOT, "%s-%s-%03d", scenario.idPrefix(), mix.model(), n),
                        mix.model(), mix.revision(), attributes });
            }
        }
        copy(stack.jdbcUrl("gateway"), "copy device (tenant_id, controller_id, attributes, attributes_reported,"
                + " registered_at) from stdin with (format csv)", new CsvRows(devices.size(), i -> String.join(",",
                        "DEFAULT", devices.get(i)[0],
                        CsvRows.jsonField(devices.get(i)[3]), "true", "2026-01-01 00:00:00+00") + "\n"));
        copy(stack.jdbcUrl("rollout"), "copy device (tenant_id, device_id, attributes, model, revision, last_seen)"
                + " from stdin with (format csv)", new CsvRows(devices.size(), i -> String.join(",", "DEFAULT",
                        devices.get(i)[0],
                        CsvRows.jsonField(devices.get(i)[3]), devices.get(i)[1], devices.get(i)[2],
                        "2026-01-01 00:00:00+00") + "\n"));
    }

    private static void copy(String jdbcUrl, String sql, CsvRows rows) throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, DevStack.DB_USER, DevStack.DB_PASSWORD)) {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, rows);
            try (Statement statement = connection.createStatement()) {
                statement.execute("analyze device");
            }
        }
    }
}
