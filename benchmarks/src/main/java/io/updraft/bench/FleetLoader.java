package io.updraft.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.postgresql.PGConnection;

/**
 * Provisions a fleet straight into the gateway's database with {@code COPY}: what {@code PUT /api/v1/devices/{id}/token}
 * stores (the SHA-256 of the token), for a million devices in seconds instead of a million REST calls. Every device is
 * registered and has reported its attributes, so its polls are "nothing new".
 */
final class FleetLoader {
    private FleetLoader() {
    }

    static String deviceId(int i) {
        return String.format("bench-%07d", i);
    }

    static String token(int i) {
        return String.format("bench-token-%07d", i);
    }

    static long load(String jdbcUrl, String user, String password, int devices) throws SQLException, IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("delete from device where controller_id like 'bench-%'");
            }
            long copied = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy device (tenant_id, controller_id, token_sha256, attributes, attributes_reported, registered_at, created_at)"
                            + " from stdin with (format csv)", new Rows(devices));
            try (Statement statement = connection.createStatement()) {
                statement.execute("analyze device");
            }
            return copied;
        }
    }

    /** The CSV rows, generated while COPY reads them: nothing of the fleet is held in memory. */
    private static final class Rows extends Reader {
        private final int devices;
        private final MessageDigest sha256;
        private final HexFormat hex = HexFormat.of();
        private int next;
        private String row = "";
        private int offset;

        Rows(int devices) {
            this.devices = devices;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read(char[] buffer, int off, int len) {
            int written = 0;
            while (written < len) {
                if (offset == row.length()) {
                    if (next == devices) {
                        return written == 0 ? -1 : written;
                    }
                    String hash = hex.formatHex(sha256.digest(token(next).getBytes(StandardCharsets.UTF_8)));
                    row = "DEFAULT," + deviceId(next) + "," + hash + ",{},true,2026-01-01 00:00:00+00,2026-01-01 00:00:00+00\n";
                    offset = 0;
                    next++;
                }
                int n = Math.min(len - written, row.length() - offset);
                row.getChars(offset, offset + n, buffer, off + written);
                offset += n;
                written += n;
            }
            return written;
        }

        @Override
        public void close() {
        }
    }
}
