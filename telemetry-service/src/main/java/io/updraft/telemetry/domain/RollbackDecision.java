package io.updraft.telemetry.domain;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one decision to roll a cohort back, with the figures that crossed the line. */
@Entity
@Table(name = "rollback_decision")
public class RollbackDecision {
    @EmbeddedId
    public CohortKey id;
    public String reason;
    public Instant decidedAt;
    public long succeeded;
    public long failed;
    public double failureRate;
    public double failureRateThreshold;
    public int minSampleSize;
    public Instant windowStart;
    public Instant windowEnd;
    /** The rule that decided (failedInstalls, bootFailures, unhealthyDevices, silentDevices, crashRegression). */
    public String rule;
    public long devicesCounted;
    public long devicesJudged;
    public double observed;
    @Column(name = "rule_limit")
    public double limit;
}
