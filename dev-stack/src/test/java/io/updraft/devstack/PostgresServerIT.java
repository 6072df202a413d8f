package io.updraft.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    @Test
    void stopsTheServerForRealAndStartsItAgainOnTheSamePortWithTheSameData() throws Exception {
        DevStack stack = DevStack.shared();
        PostgresServer server = PostgresServer.of(stack);
        String url = stack.jdbcUrl("rollout");
        // given a row written before the stop
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists pg_restart_probe (id int)");
            statement.execute("insert into pg_restart_probe values (42)");
        }
        try {
            // when the server is stopped
            server.stop();

            // then connections are refused, not queued: nothing listens on the port
            assertThat(server.accepting()).isFalse();
            assertThatThrownBy(() -> connect(url).close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Connection to 127.0.0.1:" + server.port() + " refused");
        } finally {
            // and started again
            server.start();
        }
        // then it answers on the same port with the data it had
        assertThat(server.accepting()).isTrue();
        try (Connection connection = connect(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from pg_restart_probe where id = 42")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(1);
            statement.execute("drop table pg_restart_probe");
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, DevStack.DB_USER, DevStack.DB_PASSWORD);
    }
}
