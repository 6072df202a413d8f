package io.updraft.telemetry.domain;

import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;

/** One hardware cohort ({@code model:revision}) of one rollout. */
@Embeddable
public class CohortKey implements Serializable {
    public String rolloutId;
    public String cohort;

    protected CohortKey() {
    }

    public CohortKey(String rolloutId, String cohort) {
        this.rolloutId = rolloutId;
        this.cohort = cohort;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CohortKey key && rolloutId.equals(key.rolloutId) && cohort.equals(key.cohort);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rolloutId, cohort);
    }
}
