package io.updraft.release.messaging;

import io.updraft.events.EventMeta;
import io.updraft.events.TenantEvent.Quotas;
import io.updraft.events.TenantEvent.TenantDefined;
import io.updraft.events.UpdraftEvent;
import io.updraft.release.domain.Tenant;
import io.updraft.release.domain.TenantQuotas;

/** The registry's entity never goes on the wire: this turns a tenant into the record the outbox puts on tenants. */
public final class TenantEvents {
    private TenantEvents() {
    }

    public static TenantDefined toDefined(Tenant tenant) {
        TenantQuotas q = tenant.quotas();
        return new TenantDefined(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, tenant.id(),
                tenant.displayName(), tenant.createdAt(), tenant.version(),
                new Quotas(q.maxDevices(), q.maxArtifactBytes(), q.maxRolloutsInFlight(), q.maxCommandsPerSecond()));
    }
}
