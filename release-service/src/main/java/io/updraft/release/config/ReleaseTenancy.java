package io.updraft.release.config;

import io.updraft.support.tenant.TenantAware;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The release-service keeps tenants apart (ADR 0021), so it starts with {@code updraft.tenancy.mode=multi}: every
 * entity carries its tenant and every session is filtered by it ({@code persistence.SessionTenants}), native SQL names
 * the tenant, keys are per tenant (V8), upload URLs and signed artifact links name their tenant, the outbox stamps each
 * event with the tenant of the request that caused it, and the expired-upload sweep runs tenant by tenant.
 */
@ApplicationScoped
public class ReleaseTenancy implements TenantAware {
}
