package io.updraft.telemetry.domain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A rollout as telemetry knows it. Written by native upserts (see RolloutRepository); read through JPA. */
@Entity
@Table(name = "rollout")
public class Rollout {
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
}
