package io.updraft.rollout.config;

import io.updraft.support.tenant.TenantAware;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rollout-service keeps tenants apart (ADR 0021), so it starts with {@code updraft.tenancy.mode=multi}: every
 * table carries {@code tenant_id} (V63: devices and releases keyed per tenant, a rollout's rows in its tenant) and
 * every repository statement names the current tenant; the API works in the token's tenant; each consumed record is
 * applied in its own tenant ({@code messaging.RecordTenants}, inbox kept per tenant); the wave gate decides about each
 * rollout in its tenant; outbox events and the dispatcher's commands carry their rollout's tenant.
 */
@ApplicationScoped
public class RolloutTenancy implements TenantAware {
}
