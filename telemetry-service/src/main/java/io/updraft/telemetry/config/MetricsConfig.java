package io.updraft.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** {@code updraft.metrics.*}: how far Prometheus labels may grow (ADR 0021 decision 6). */
@ConfigMapping(prefix = "updraft.metrics")
public interface MetricsConfig {
    /**
     * In multi-tenant mode, the most distinct {@code tenant} label values this service exports; the tenants seen after
     * that many share the value {@code other}, so the label set stays bounded however many tenants report.
     */
    @WithDefault("20")
    @Min(0)
    int maxTenants();
}
