package io.updraft.telemetry.streams;

/** A device that installed successfully and has not been heard from since; missing once {@code dueAt} passes. */
public record HeartbeatDue(String rolloutId, String cohort, int wave, String release, long dueAt) {
    DeviceState asDevice() {
        return new DeviceState(rolloutId, cohort, wave, release, null, 0, 0);
    }
}
