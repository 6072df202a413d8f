package io.updraft.telemetry.service;

import io.micrometer.core.instrument.Tags;
import io.updraft.support.tenant.TenancyConfig;
import io.updraft.telemetry.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tenant} label of the per-rollout and per-cohort metrics (ADR 0021 decision 6): none in single mode (the
 * series stay exactly as they were); in multi mode the tenant's id for the first {@code updraft.metrics.max-tenants}
 * tenants this process labels (in the order first met, ties by id), {@link #OTHER} for every tenant after them. A
 * tenant keeps its label for the life of the process, so a series never changes its tenant value.
 */
@ApplicationScoped
public class TenantLabels {
    public static final String LABEL = "tenant";
    /** The label value every tenant beyond the bound shares. */
    public static final String OTHER = "other";

    private final boolean multi;
    private final int maxTenants;
    private final Set<String> labelled = new HashSet<>();

    @Inject
    public TenantLabels(TenancyConfig tenancy, MetricsConfig metrics) {
        this(tenancy.mode() == TenancyConfig.Mode.MULTI, metrics.maxTenants());
    }

    public TenantLabels(boolean multi, int maxTenants) {
        this.multi = multi;
        this.maxTenants = Math.max(0, maxTenants);
    }

    /**
     * Lets in the tenants of one refresh in a fixed order (by id), so which of several new tenants get their own
     * label does not depend on the order rows came in.
     */
    public synchronized void meet(Collection<String> tenants) {
        for (String tenant : new TreeSet<>(tenants)) {
            labelOf(tenant);
        }
    }

    /** The label value of {@code tenant}: its id while the bound allows, else {@link #OTHER}. */
    public synchronized String labelOf(String tenant) {
        if (labelled.contains(tenant)) {
            return tenant;
        }
        if (labelled.size() < maxTenants) {
            labelled.add(tenant);
            return tenant;
        }
        return OTHER;
    }

    /** {@code tags}, with the tenant's label in multi mode only. */
    public Tags tag(Tags tags, String tenant) {
        return multi ? tags.and(LABEL, labelOf(tenant)) : tags;
    }
}
