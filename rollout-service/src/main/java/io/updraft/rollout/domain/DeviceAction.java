package io.updraft.rollout.domain;


/** One action: install of a release on one device, or a rollback install back to the device's previous release. */
public record DeviceAction(long actionId, String rolloutId, String deviceId, int wave, String cohort,
        String releaseId, String version, boolean rollback, ActionState state) {
}
