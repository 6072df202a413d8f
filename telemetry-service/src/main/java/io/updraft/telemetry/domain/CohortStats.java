package io.updraft.telemetry.domain;

import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** Running totals of one cohort of one rollout. Counters grow only through atomic upserts, never read-modify-write. */
@Entity
@Table(name = "cohort_stats")
public class CohortStats {
    @EmbeddedId
    public CohortKey id;
    public long succeeded;
    public long failed;
    public long healthReports;
    public long unhealthyReports;
    public long crashes;
    /** The rollout-service rolled this cohort back (RolloutRolledBack), whoever asked for it. */
    public boolean rolledBack;
    public Instant firstReportAt;
    public Instant lastActivityAt;

    public double failureRate() {
        long installs = succeeded + failed;
        return installs == 0 ? 0.0 : (double) failed / installs;
    }
}
