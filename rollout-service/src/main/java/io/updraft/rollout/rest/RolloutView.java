package io.updraft.rollout.rest;

import java.time.Instant;
import java.util.List;

/** A rollout as the management API shows it. */
public record RolloutView(String id, String name, String releaseId, String version, String state, int currentWave,
        Instant createdAt, List<WaveView> waves, List<CohortView> cohorts, RollbackActionsView rollbackActions,
        String filter, List<String> cohortBy, int canaryPerCohort) {

    public record WaveView(int wave, int percent, int devices, String state, long succeeded, long failed,
            long running, long pending, long canceled, boolean approval) {
    }

    public record CohortView(String cohort, int devices, String state, String rollbackReason) {
    }

    public record RollbackActionsView(long sent, long succeeded, long failed) {
    }
}
