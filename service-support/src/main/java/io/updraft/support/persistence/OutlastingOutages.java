package io.updraft.support.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * A transaction that outlasts a database outage: the work runs in a new transaction, and again after a pause each
 * time it fails because the database cannot be reached ({@link DatabaseUnavailable}); any other failure is thrown as
 * it was. What Kafka consumers apply records with: a record is never dead-lettered because the database was stopped
 * or restarting, it is applied once the database is back, while the consumer holds it.
 */
public final class OutlastingOutages {
    private static final Logger LOG = Logger.getLogger(OutlastingOutages.class);
    private static final long LONGEST_PAUSE_MILLIS = 5_000;

    private OutlastingOutages() {
    }

    /** @param what what is held, for the log ("the batch", "a device-reports record") */
    public static void inTransaction(String what, Runnable work) {
        long pauseMillis = 100;
        long unavailableSince = 0;
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(work);
                if (unavailableSince != 0) {
                    LOG.infof("database back after %d ms: %s held meanwhile is applied",
                            (System.nanoTime() - unavailableSince) / 1_000_000, what);
                }
                return;
            } catch (RuntimeException e) {
                if (!DatabaseUnavailable.causes(e)) {
                    throw e;
                }
                if (unavailableSince == 0) {
                    unavailableSince = System.nanoTime();
                    LOG.warnf("database unavailable, holding %s until it is back: %s", what, e.toString());
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the database", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, LONGEST_PAUSE_MILLIS);
        }
    }
}
