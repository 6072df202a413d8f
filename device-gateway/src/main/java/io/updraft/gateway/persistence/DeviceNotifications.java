package io.updraft.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.hibernate.Session;

/**
 * The NOTIFYs on {@value #CHANNEL} that tell every replica a device's poll view changed ({@link DeviceChangeListener}
 * hears them), each naming the device by its {@link io.updraft.gateway.domain.DeviceKeys device key}: two tenants'
 * gw-1 are evicted apart. Sent in the caller's transaction, so they are delivered exactly when the change becomes
 * visible.
 */
@ApplicationScoped
public class DeviceNotifications {
    public static final String CHANNEL = "gateway_device";

    @Inject
    EntityManager entityManager;

    /** Many devices at once, in the caller's transaction: one statement for all their NOTIFYs, after a flush. */
    public void notifyAll(List<String> deviceKeys) {
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement(
                    "select pg_notify('" + CHANNEL + "', id) from unnest(?::varchar[]) as id")) {
                notify.setArray(1, connection.createArrayOf("varchar", deviceKeys.toArray(String[]::new)));
                notify.executeQuery().close();
            }
        });
    }

    /**
     * One device, over the session's connection without flushing it (a native query would flush the whole session
     * each time: a polled batch of thousands of commands made that quadratic). NOTIFY is delivered at commit anyway,
     * when whatever the session still holds has been flushed. In the caller's transaction.
     */
    public void notifyOne(String deviceKey) {
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement("select pg_notify('" + CHANNEL + "', ?)")) {
                notify.setString(1, deviceKey);
                notify.executeQuery().close();
            }
        });
    }
}
