package io.updraft.rollout.domain;

/** @param rollbackEvidence telemetry's evidence (RollbackEvent.Evidence as JSON), null for an operator's rollback */
public record CohortRow(String cohort, int deviceCount, CohortState state, String rollbackReason,
        String rollbackEvidence) {
}
