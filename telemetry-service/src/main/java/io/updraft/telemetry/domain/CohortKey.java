package io.updraft.telemetry.domain;

import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;

/** One hardware cohort ({@code model:revision}) of one rollout of one tenant (cohorts repeat across tenants). */
@Embeddable
public class CohortKey implements Serializable {
    public String tenantId;
    public String rolloutId;
    public String cohort;

    protected CohortKey() {
    }

    public CohortKey(String tenantId, String rolloutId, String cohort) {
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.rolloutId = rolloutId;
        this.cohort = cohort;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CohortKey key && tenantId.equals(key.tenantId) && rolloutId.equals(key.rolloutId)
                && cohort.equals(key.cohort);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenantId, rolloutId, cohort);
    }
}
