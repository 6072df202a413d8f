package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.updraft.gateway.persistence.DeviceChangeListener;
import io.updraft.gateway.persistence.DeviceNotifications;
import io.updraft.gateway.service.DeviceViewCache;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cache at N replicas: a change committed by "another replica" (plain SQL here) reaches it through NOTIFY. */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
class DeviceChangeListenerIT extends GatewayTestBase {
    @Inject
    DataSource dataSource;
    @Inject
    DeviceViewCache cache;
    @Inject
    DeviceChangeListener listener;

    @Test
    void givenCachedView_whenAnotherReplicaChangesTheDeviceAndNotifies_thenTheNextPollSeesTheChange() throws Exception {
        DdiDevice device = DdiDevice.random();
        eventually().until(cache::isListening);
        device.poll();
        assertThat(device.poll().getString("_links.configData.href")).isNotNull();

        sqlFromAnotherReplica(device.id());

        eventually().until(() -> device.poll().getString("_links.configData") == null);
    }

    @Test
    void givenListenerConnectionIsKilled_whenItReconnects_thenChangesAreHeardAgain() throws Exception {
        eventually().until(cache::isListening);
        long connectionsBefore = listener.connections();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement kill = connection.prepareStatement(
                        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?")) {
            kill.setString(1, DeviceChangeListener.APPLICATION_NAME);
            kill.executeQuery();
        }
        DdiDevice device = DdiDevice.random();

        eventually().until(() -> listener.connections() > connectionsBefore && cache.isListening());
        device.poll();
        device.poll();
        sqlFromAnotherReplica(device.id());

        eventually().until(() -> device.poll().getString("_links.configData") == null);
    }

    private void sqlFromAnotherReplica(String controllerId) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                    "update device set attributes_reported = true where controller_id = ?");
                    PreparedStatement notify = connection.prepareStatement(
                            "select pg_notify('" + DeviceNotifications.CHANNEL + "', ?)")) {
                update.setString(1, controllerId);
                assertThat(update.executeUpdate()).isEqualTo(1);
                notify.setString(1, controllerId);
                notify.executeQuery();
            }
            connection.commit();
        }
    }
}
