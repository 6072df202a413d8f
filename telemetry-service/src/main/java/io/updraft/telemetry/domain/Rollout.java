package io.updraft.telemetry.domain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A rollout as telemetry knows it. Written by native upserts (see RolloutRepository); read through JPA. */
@Entity
@Table(name = "rollout")
@IdClass(Rollout.Key.class)
public class Rollout {
    /** The tenant the rollout belongs to (ADR 0021); every read names it. */
    @Id
    public String tenantId;
    @Id
    public String rolloutId;
    /** Null until RolloutCreated arrives; the configured defaults apply meanwhile. */
    public Double failureRateThreshold;
    public Integer minSampleSize;
    public Instant createdAt;
    public Instant finishedAt;
    public String name;
    public String version;
    public Integer waveCount;
    public Integer deviceCount;
    public Integer currentWave;
    public String state;
    public String stateReason;

    /** The primary key: a rollout id is one tenant's. */
    public static class Key implements Serializable {
        public String tenantId;
        public String rolloutId;

        public Key() {
        }

        public Key(String tenantId, String rolloutId) {
            this.tenantId = tenantId;
            this.rolloutId = rolloutId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(tenantId, key.tenantId)
                    && Objects.equals(rolloutId, key.rolloutId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, rolloutId);
        }
    }
}
