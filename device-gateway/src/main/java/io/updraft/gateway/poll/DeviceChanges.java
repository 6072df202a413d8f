package io.updraft.gateway.poll;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

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

    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String controllerId) {
        entityManager.flush();
        entityManager.createNativeQuery("select pg_notify('" + CHANNEL + "', ?1)")
                .setParameter(1, controllerId)
                .getSingleResult();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                cache.evict(controllerId);
            }
        });
    }
}
