package io.updraft.telemetry.config;

import io.updraft.support.tenant.TenantAware;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The telemetry-service keeps tenants apart (ADR 0021), so it starts with {@code updraft.tenancy.mode=multi}: every
 * table is keyed by tenant (V7) and every statement names it; each consumed record is applied in the tenant its event
 * names; the health topology keys devices and rollouts {@code TENANT/id} (DEFAULT's bare), so the cohort key is tenant
 * + rollout + cohort; RollbackTriggered and HealthWindowClosed carry their tenant (field, {@code ce_tenant}, key); the
 * REST API, the dashboard and its live feed answer in the token's tenant; the per-cohort metrics get a bounded
 * {@code tenant} label in multi mode.
 */
@ApplicationScoped
public class TelemetryTenancy implements TenantAware {
}
