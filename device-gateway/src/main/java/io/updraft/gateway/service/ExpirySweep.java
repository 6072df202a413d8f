package io.updraft.gateway.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Expires actions of devices that do not come back. Safe at N replicas: each batch locks the devices it takes with
 * {@code SKIP LOCKED}, and expiring re-checks the status under that lock, so an action expires (and is reported) once.
 */
@ApplicationScoped
public class ExpirySweep {
    private static final Logger LOG = Logger.getLogger(ExpirySweep.class);
    static final int BATCH = 500;
    private static final int MAX_BATCHES = 100;

    @Inject
    ActionExpiry expiry;

    @Scheduled(identity = "action-expiry-sweep", every = "${updraft.gateway.expiry-sweep:PT1M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        int expired = sweep();
        if (expired > 0) {
            LOG.infof("expired %d actions", expired);
        }
    }

    /** @return how many due actions were found (and expired, unless their device was busy) */
    public int sweep() {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int found = expiry.sweepBatch(Instant.now(), BATCH);
            total += found;
            if (found < BATCH) {
                break;
            }
        }
        return total;
    }
}
