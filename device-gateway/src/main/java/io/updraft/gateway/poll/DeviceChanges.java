package io.updraft.gateway.poll;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.util.List;
import org.hibernate.Session;

/**
 * Announces that a device's poll view changed. The NOTIFY is part of the caller's transaction, so every replica
 * hears it exactly when the change becomes visible; this replica also evicts at once after the commit, so a
 * device's next request here never waits for the round trip.
 */
@ApplicationScoped
public class DeviceChanges {
    public static final String CHANNEL = "gateway_device";

    @Inject
    EntityManager entityManager;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    DeviceViewCache cache;

    /** Many devices at once: one statement for all their NOTIFYs. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(List<String> controllerIds) {
        if (controllerIds.isEmpty()) {
            return;
        }
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement(
                    "select pg_notify('" + CHANNEL + "', id) from unnest(?::varchar[]) as id")) {
                notify.setArray(1, connection.createArrayOf("varchar", controllerIds.toArray(String[]::new)));
                notify.executeQuery().close();
            }
        });
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                controllerIds.forEach(cache::evict);
            }
        });
    }

    /**
     * One NOTIFY per device per transaction, sent over the session's connection without flushing it (a native query
     * would flush the whole session each time: a polled batch of thousands of commands made that quadratic), and one
     * eviction after the commit for every device the transaction changed. NOTIFY is delivered at commit anyway, when
     * whatever the session still holds has been flushed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String controllerId) {
        @SuppressWarnings("unchecked")
        java.util.Set<String> changed = (java.util.Set<String>) transactions.getResource(DeviceChanges.class);
        if (changed == null) {
            java.util.Set<String> devices = new java.util.HashSet<>();
            changed = devices;
            transactions.putResource(DeviceChanges.class, devices);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    devices.forEach(cache::evict);
                }
            });
        }
        if (!changed.add(controllerId)) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement("select pg_notify('" + CHANNEL + "', ?)")) {
                notify.setString(1, controllerId);
                notify.executeQuery().close();
            }
        });
    }
}
