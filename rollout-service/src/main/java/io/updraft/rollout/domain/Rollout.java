package io.updraft.rollout.domain;

import io.updraft.events.ActionType;
import io.updraft.events.MaintenanceWindow;
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
    /** The tenant the rollout belongs to (ADR 0021): every row and record of it carries this one. */
    @Column(name = "tenant_id", updatable = false)
    public String tenantId;
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
    /** The whole rollback policy (events' RollbackPolicy as JSON), every rule resolved; null for older rollouts. */
    @Column(name = "rollback_policy", columnDefinition = "jsonb")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String rollbackPolicy;
    /** Judged devices a soaked wave needs before its error threshold applies (a smaller wave: all of them). */
    @Column(name = "error_min_sample")
    public int errorMinSample = 1;
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
    @Column(name = "wave_timeout_ms")
    public long waveTimeoutMillis;
    /** a rollout created with a future start time waits in SCHEDULED until then; null: started at once */
    @Column(name = "start_at")
    public Instant startAt;
    /** maintenance window forwarded on every wave install (Quartz cron, ISO duration, zone id), or all null */
    @Column(name = "window_cron")
    public String windowCron;
    @Column(name = "window_duration")
    public String windowDuration;
    @Column(name = "window_zone")
    public String windowZone;
    /** per-device action deadline: expiresAt = the wave's start + this; null: actions never expire */
    @Column(name = "action_deadline_ms")
    public Long actionDeadlineMillis;
    /** devices that start matching later join the running (or next) wave */
    public boolean dynamic;
    /** each device confirms its install before it gets it (InstallRequested.confirmationRequired); not rollbacks */
    @Column(name = "confirmation_required")
    public boolean confirmationRequired;
    /** only with confirmationRequired: confirmBy = the wave's start (a retry's or joiner's sending) + this; null: none */
    @Column(name = "confirmation_deadline_ms")
    public Long confirmationDeadlineMillis;
    /** retry budget: a failed install is sent again as a new action up to this many times */
    public int retries;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** what a soaked wave failing above its error threshold does, unless the wave has its own (rollout_wave) */
    @Enumerated(EnumType.STRING)
    @Column(name = "error_action")
    public ErrorAction errorAction = ErrorAction.PAUSE;
    /** health gate bounds (null: not judged), see {@link #healthBounds()} */
    @Column(name = "gate_max_failure_rate")
    public Double gateMaxFailureRate;
    @Column(name = "gate_max_unhealthy_ratio")
    public Double gateMaxUnhealthyRatio;
    @Column(name = "gate_max_crashes_per_report")
    public Double gateMaxCrashesPerReport;
    @Column(name = "gate_min_reports")
    public int gateMinReports = 1;
    @Column(name = "gate_require_window")
    public boolean gateRequireWindow;
    /** a rolled-back cohort's devices get this release instead of the one each ran before; null: the previous one */
    @Column(name = "rollback_release_id")
    public String rollbackReleaseId;

    /** Rollout rate (see RolloutRate); all null: installs leave as fast as the broker takes them. */
    @Column(name = "rate_max_per_minute")
    public Integer rateMaxPerMinute;
    @Column(name = "rate_base_per_minute")
    public Integer rateBasePerMinute;
    @Column(name = "rate_factor")
    public Double rateFactor;
    @Column(name = "rate_step")
    public Integer rateStep;
    @Column(name = "rate_counts_succeeded")
    public boolean rateCountsSucceeded;

    /** The rollout rate, or null when there is none. */
    public io.updraft.rollout.domain.RolloutRate rate() {
        if (rateMaxPerMinute == null) {
            return null;
        }
        return new io.updraft.rollout.domain.RolloutRate(rateMaxPerMinute, rateBasePerMinute, rateFactor,
                rateBasePerMinute == null || rateCountsSucceeded ? null : rateStep,
                rateBasePerMinute != null && rateCountsSucceeded ? rateStep : null);
    }

    public Duration soakTime() {
        return Duration.ofMillis(soakTimeMillis);
    }

    public Duration waveTimeout() {
        return Duration.ofMillis(waveTimeoutMillis);
    }

    /** @return the rollout's health gate, or null if it has none */
    public HealthBounds healthBounds() {
        HealthBounds bounds = new HealthBounds(gateMaxFailureRate, gateMaxUnhealthyRatio, gateMaxCrashesPerReport,
                Math.max(1, gateMinReports), gateRequireWindow);
        return bounds.active() ? bounds : null;
    }

    /** Keeps {@code bounds} (null: no gate). */
    public void healthBounds(HealthBounds bounds) {
        gateMaxFailureRate = bounds == null ? null : bounds.maxFailureRate();
        gateMaxUnhealthyRatio = bounds == null ? null : bounds.maxUnhealthyRatio();
        gateMaxCrashesPerReport = bounds == null ? null : bounds.maxCrashesPerReport();
        gateMinReports = bounds == null ? 1 : bounds.minReports();
        gateRequireWindow = bounds != null && bounds.requireWindow();
    }

    /** @return the window every wave install carries, or null */
    public MaintenanceWindow maintenanceWindow() {
        return windowCron == null ? null : new MaintenanceWindow(windowCron, windowDuration, windowZone);
    }
}
