package io.updraft.release.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.updraft.release.config.UploadConfig;
import io.updraft.release.persistence.UploadRepository;
import io.updraft.release.service.storage.ArtifactStore;
import io.updraft.events.TenantIds;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes uploads nobody published before they expired, with their staged bytes; used ones are forgotten a
 * retention period later. Safe on every replica at once: each batch locks its rows with SKIP LOCKED, and an upload a
 * publish is adopting right now is locked by that publish. Runs per tenant (ADR 0021).
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
        removeBatch(Instant.now());
    }

    /**
     * Removes what has expired in every tenant, tenant by tenant: each tenant's batches run as that tenant
     * ({@link Tenants#runAs}), so its sessions see and delete only its rows.
     *
     * @return how many uploads were removed
     */
    @ActivateRequestContext
    public int removeBatch(Instant now) {
        Instant usedBefore = now.minus(config.usedRetention());
        List<String> tenants = Tenants.runAs(TenantIds.DEFAULT, () -> QuarkusTransaction.requiringNew()
                .call(() -> uploads.tenantsWithExpired(now, usedBefore)));
        int removed = 0;
        for (String tenant : tenants) {
            removed += Tenants.runAs(tenant, () -> {
                int total = 0;
                int batch;
                do {
                    batch = removeBatchOfTenant(now, usedBefore);
                    total += batch;
                } while (batch == BATCH);
                return total;
            });
        }
        return removed;
    }

    private int removeBatchOfTenant(Instant now, Instant usedBefore) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> expired = uploads.lockExpired(now, usedBefore, BATCH);
            for (String id : expired) {
                try {
                    // staged bytes first: should the store fail, the row stays and the next sweep tries again
                    store.discard(id);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the staged bytes of upload " + id, e);
                }
                uploads.delete("id", id);
            }
            if (!expired.isEmpty()) {
                LOG.infof("removed %d expired upload(s) of tenant %s", expired.size(), Tenants.bound());
            }
            return expired.size();
        });
    }
}
