package io.updraft.rollout.messaging;

import io.updraft.events.EventJson;
import io.updraft.events.TenantEvent;
import io.updraft.events.TenantEvent.TenantDefined;
import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the tenant registry ({@code tenants}, compacted, written by release-service) into the {@link TenantQuotaBook}
 * the quotas are decided by (ADR 0021 decision 5). Every instance must know every tenant, so the channel has a
 * consumer group of its own per instance, reads from the earliest offset and commits nothing
 * ({@code application.properties}). A record it cannot read is logged and skipped, never parked or retried: the
 * registry is release-service's, the next record of that tenant replaces it, and a stuck partition would leave every
 * tenant's quotas where they were.
 */
@ApplicationScoped
public class TenantsConsumer {
    private static final Logger LOG = Logger.getLogger(TenantsConsumer.class);

    @Inject
    TenantQuotaBook book;

    @Incoming(Channels.TENANTS)
    public void onTenant(String payload) {
        if (payload == null) {
            return; // a tombstone: the registry never deletes a tenant, nothing to forget
        }
        TenantEvent event;
        try {
            event = EventJson.read(payload, TenantEvent.class);
        } catch (RuntimeException e) {
            LOG.warnf("skipped an unreadable record of the tenants topic: %s", e.getMessage());
            return;
        }
        if (event instanceof TenantDefined defined && !book.apply(defined)) {
            LOG.debugf("tenant %s version %d: not newer than what is known", defined.tenantId(), defined.version());
        }
    }
}
