package io.updraft.gateway.config;

import io.updraft.support.tenant.TenantAware;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gateway keeps tenants apart (ADR 0021), so it may run with {@code updraft.tenancy.mode=multi}: every table of
 * device data is keyed by tenant and every statement names it; the DDI path's tenant selects the devices and its
 * gateway token ({@link ServedTenants}); poll views, first contacts and heartbeats are keyed by tenant and
 * controllerId; each command applies to its record's tenant; the management API is the token's tenant's.
 */
@ApplicationScoped
public class GatewayTenancy implements TenantAware {
}
