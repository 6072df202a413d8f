package io.updraft.telemetry.api;

import io.updraft.telemetry.domain.DeviceHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A device's latest health report; {@code healthy} = booted and its application healthy. */
public record DeviceHealthView(String deviceId, Instant reportedAt, boolean healthy, boolean bootOk, int crashCount,
        boolean appHealthy, Map<String, Double> metrics) {

    static DeviceHealthView of(DeviceHealth health) {
        return new DeviceHealthView(health.deviceId(), health.reportedAt(), health.healthy(), health.bootOk(),
                health.crashCount(), health.appHealthy(), health.metrics());
    }

    /** The answer to a batch read: the devices that reported (by id), and those of the request that never did. */
    public record Batch(List<DeviceHealthView> devices, List<String> neverReported) {
    }
}
