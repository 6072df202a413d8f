package io.updraft.telemetry.service;

/** Final install results of one cohort of one rollout (rollback installs never count). */
public record CohortTally(long succeeded, long failed) {
    public long installs() {
        return succeeded + failed;
    }

    public double failureRate() {
        return installs() == 0 ? 0.0 : (double) failed / installs();
    }
}
