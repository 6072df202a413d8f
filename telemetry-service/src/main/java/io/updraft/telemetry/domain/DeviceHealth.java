package io.updraft.telemetry.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A device's latest health report.
 *
 * @param metrics at most {@link #MAX_METRICS} named figures, names of one line up to {@link #MAX_METRIC_NAME}
 *        characters, finite values
 */
public record DeviceHealth(String deviceId, String eventId, Instant reportedAt, boolean bootOk, int crashCount,
        boolean appHealthy, Map<String, Double> metrics) {
    /** As many metrics as the gateway accepts in one report, and as long a name. */
    public static final int MAX_METRICS = 50;
    public static final int MAX_METRIC_NAME = 128;

    public DeviceHealth {
        metrics = Map.copyOf(metrics);
    }

    /** Healthy: booted the running image and its application says so. Crashes are shown, not judged, here. */
    public boolean healthy() {
        return bootOk && appHealthy;
    }
}
