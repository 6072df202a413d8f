package io.updraft.gateway.service;

import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.persistence.DeviceNotifications;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Announces that a device's poll view changed. The NOTIFY ({@link DeviceNotifications}) is part of the caller's
 * transaction, so every replica hears it exactly when the change becomes visible; this replica also evicts at once
 * after the commit, so a device's next request here never waits for the round trip.
 */
@ApplicationScoped
public class DeviceChanges {
    @Inject
    DeviceNotifications notifications;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    DeviceViewCache cache;

    /** Many devices at once: one statement for all their NOTIFYs. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String tenant, List<String> controllerIds) {
        if (controllerIds.isEmpty()) {
            return;
        }
        List<String> keys = controllerIds.stream().map(id -> DeviceKeys.of(tenant, id)).toList();
        notifications.notifyAll(keys);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                keys.forEach(cache::evict);
            }
        });
    }

    /**
     * One NOTIFY per device per transaction, sent without flushing the session ({@link DeviceNotifications#notifyOne}),
     * and one eviction after the commit for every device the transaction changed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String tenant, String controllerId) {
        String key = DeviceKeys.of(tenant, controllerId);
        @SuppressWarnings("unchecked")
        Set<String> changed = (Set<String>) transactions.getResource(DeviceChanges.class);
        if (changed == null) {
            Set<String> devices = new HashSet<>();
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
        if (!changed.add(key)) {
            return;
        }
        notifications.notifyOne(key);
    }
}
