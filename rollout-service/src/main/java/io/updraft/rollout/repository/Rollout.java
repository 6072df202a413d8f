package io.updraft.rollout.repository;

import io.updraft.events.ActionType;
import io.updraft.rollout.domain.RolloutState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** The rollout row; its lock ({@code FOR UPDATE}) serialises every decision about the rollout. */
@Entity
@Table(name = "rollout")
public class Rollout {
    @Id
    public String id;
    public String name;
    @Column(name = "release_id")
    public String releaseId;
    public String version;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String target;
    @Enumerated(EnumType.STRING)
    public RolloutState state;
    @Column(name = "current_wave")
    public int currentWave;
    @Column(name = "wave_count")
    public int waveCount;
    @Column(name = "error_threshold")
    public double errorThreshold;
    @Column(name = "success_threshold")
    public double successThreshold;
    @Column(name = "soak_time_ms")
    public long soakTimeMillis;
    @Enumerated(EnumType.STRING)
    @Column(name = "action_type")
    public ActionType actionType;
    @Column(name = "failure_rate_threshold")
    public double failureRateThreshold;
    @Column(name = "min_sample_size")
    public int minSampleSize;
    @Column(name = "errors_accepted_wave")
    public int errorsAcceptedWave;
    /** the filter expression the target set was selected with, or null */
    public String filter;
    @Column(name = "canary_per_cohort")
    public int canaryPerCohort;
    /** JSON array of the attributes the canary strata are cut by, besides model and revision */
    @Column(name = "cohort_by", columnDefinition = "jsonb")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String cohortBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public Duration soakTime() {
        return Duration.ofMillis(soakTimeMillis);
    }
}
