package io.updraft.rollout.messaging;

import io.updraft.events.EventJson;
import io.updraft.events.TenantIds;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whose a consumed record is (ADR 0021): in multi mode the tenant its JSON names ({@link EventJson#tenantOf}: the
 * {@code "tenant"} field, none = {@link TenantIds#DEFAULT}, not a tenant id = the record is malformed and parked); in
 * single mode every record is {@link TenantIds#DEFAULT}'s, as every row is, so a single-tenant installation applies
 * what it applied before tenants (the gateway likewise serves its one tenant as DEFAULT). Each consumer applies a
 * record inside {@link Tenants#runAs} of that tenant, and records it in the inbox under {@link #inboxConsumer}.
 */
@ApplicationScoped
public class RecordTenants {
    @Inject
    Tenants tenants;

    public String of(String payload) {
        return tenants.isMulti() ? EventJson.tenantOf(payload) : TenantIds.DEFAULT;
    }

    /**
     * The inbox's consumer name for {@code tenant}'s records: the event ids a consumer applied are kept per tenant
     * ({@code TENANT/consumer}), so one tenant's event id never hides another's; DEFAULT's is the name it always was.
     */
    public static String inboxConsumer(String tenant, String consumer) {
        return TenantIds.recordKey(tenant, consumer);
    }
}
