package io.updraft.support.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code updraft.tenancy.*} (ADR 0021). */
@ConfigMapping(prefix = "updraft.tenancy")
public interface TenancyConfig {
    /**
     * {@code single} (the default, nothing to configure): every request and event is the {@code DEFAULT} tenant's and
     * a token naming another tenant grants nothing. {@code multi}: each token names its tenant; accepted only by a
     * service that keeps tenants apart ({@link TenantAware}).
     */
    @WithDefault("single")
    Mode mode();

    enum Mode {
        SINGLE, MULTI
    }
}
