package io.updraft.release.api;

import io.updraft.release.domain.Tenant;
import io.updraft.release.domain.TenantQuotas;
import java.time.Instant;
import java.util.List;

/** A tenant as the platform administrator sees it; a quota of null is unlimited. */
public record TenantView(String id, String displayName, Instant createdAt, Instant updatedAt, long version,
        TenantQuotas quotas) {
    static TenantView of(Tenant tenant) {
        return new TenantView(tenant.id(), tenant.displayName(), tenant.createdAt(), tenant.updatedAt(),
                tenant.version(), tenant.quotas());
    }

    static List<TenantView> of(List<Tenant> tenants) {
        return tenants.stream().map(TenantView::of).toList();
    }
}
