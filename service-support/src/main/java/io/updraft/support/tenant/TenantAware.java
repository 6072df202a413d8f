package io.updraft.support.tenant;

/**
 * A bean a service declares once every query, consumer and cache of it keeps tenants apart: without one the service
 * refuses to start with {@code updraft.tenancy.mode=multi} ({@link Tenants}), so an installation cannot run several
 * tenants through a service that would mix them.
 */
public interface TenantAware {
}
