package io.updraft.rollout.api;

public record ActionView(long actionId, String deviceId, int wave, String cohort, String releaseId, String version,
        boolean rollback, String state) {
}
