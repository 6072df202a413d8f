package io.updraft.release.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.updraft.release.config.UploadConfig;
import io.updraft.release.persistence.UploadRepository;
import io.updraft.release.service.storage.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes uploads nobody published before they expired, with their staged bytes; used ones are forgotten a
 * retention period later. Safe on every replica at once: each batch locks its rows with SKIP LOCKED, and an upload a
 * publish is adopting right now is locked by that publish.
 */
@ApplicationScoped
public class ExpiredUploads {
    private static final Logger LOG = Logger.getLogger(ExpiredUploads.class);
    private static final int BATCH = 200;

    @Inject
    UploadRepository uploads;
    @Inject
    ArtifactStore store;
    @Inject
    UploadConfig config;

    @Scheduled(every = "${updraft.upload.sweep-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int removed;
        do {
            removed = removeBatch(Instant.now());
        } while (removed == BATCH);
    }

    /** @return how many uploads were removed */
    public int removeBatch(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> expired = uploads.lockExpired(now, now.minus(config.usedRetention()), BATCH);
            for (String id : expired) {
                try {
                    // staged bytes first: should the store fail, the row stays and the next sweep tries again
                    store.discard(id);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the staged bytes of upload " + id, e);
                }
                uploads.deleteById(id);
            }
            if (!expired.isEmpty()) {
                LOG.infof("removed %d expired upload(s)", expired.size());
            }
            return expired.size();
        });
    }
}
