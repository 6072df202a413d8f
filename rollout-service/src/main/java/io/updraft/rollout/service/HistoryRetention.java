package io.updraft.rollout.service;

import io.quarkus.scheduler.Scheduled;
import io.updraft.rollout.persistence.HistoryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Device histories grow with every report about an action (millions of rows per fleet-wide rollout): entries older
 * than {@code updraft.rollout.history.device-retention} are deleted, a bounded batch at a time. Rollout histories
 * (a few dozen rows per rollout) are kept.
 */
@ApplicationScoped
public class HistoryRetention {
    private static final Logger LOG = Logger.getLogger(HistoryRetention.class);
    static final int BATCH = 10_000;

    @Inject
    HistoryRepository history;
    @ConfigProperty(name = "updraft.rollout.history.device-retention", defaultValue = "P90D")
    Duration retention;

    @Scheduled(every = "${updraft.rollout.history.cleanup-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void sweep() {
        Instant before = Instant.now().minus(retention);
        long deleted = 0;
        int batch;
        do {
            batch = history.deleteDeviceEntriesBefore(before, BATCH);
            deleted += batch;
        } while (batch == BATCH);
        if (deleted > 0) {
            LOG.infof("deleted %d device history entries older than %s", deleted, retention);
        }
    }
}
