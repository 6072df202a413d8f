package io.updraft.telemetry.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one cohort showed over some span: install results, device health (reports), heartbeats after install
 * ({@code heartbeatsReturned}: devices heard from within their rollout's silence; {@code heartbeatsMissed}: devices
 * silent longer), devices that failed to boot the new release or turned unhealthy on it (each device once per
 * install), and custom metrics (sum and count per name, so any span's mean can be computed). Immutable;
 * {@code plus} returns a new one.
 */
public record Figures(long succeeded, long failed, long healthReports, long unhealthyReports, long bootFailures,
        long appUnhealthy, long crashes, long heartbeatsReturned, long heartbeatsMissed, long bootFailedDevices,
        long unhealthyDevices, Map<String, Double> metricSums, Map<String, Long> metricCounts) {

    public static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());

    /** Figures of install results, heartbeats and device transitions only (no reports, no metrics). */
    public static Figures of(long succeeded, long failed, long returned, long missed, long bootFailedDevices,
            long unhealthyDevices) {
        return new Figures(succeeded, failed, 0, 0, 0, 0, 0, returned, missed, bootFailedDevices, unhealthyDevices,
                Map.of(), Map.of());
    }

    public Figures {
        metricSums = metricSums == null ? Map.of() : Map.copyOf(metricSums);
        metricCounts = metricCounts == null ? Map.of() : Map.copyOf(metricCounts);
    }

    public long installs() {
        return succeeded + failed;
    }

    public double failureRate() {
        return installs() == 0 ? 0.0 : (double) failed / installs();
    }

    /** Crashes per health report. */
    public double crashRate() {
        return healthReports == 0 ? 0.0 : (double) crashes / healthReports;
    }

    /** Devices judged for a heartbeat after a successful install: came back, or missing after the grace period. */
    public long heartbeatsJudged() {
        return heartbeatsReturned + heartbeatsMissed;
    }

    public double missedHeartbeatRatio() {
        return heartbeatsJudged() == 0 ? 0.0 : (double) heartbeatsMissed / heartbeatsJudged();
    }

    public Figures plus(Figures other) {
        if (other == null || other == NONE) {
            return this;
        }
        Map<String, Double> sums = new TreeMap<>(metricSums);
        other.metricSums.forEach((name, value) -> sums.merge(name, value, Double::sum));
        Map<String, Long> counts = new TreeMap<>(metricCounts);
        other.metricCounts.forEach((name, value) -> counts.merge(name, value, Long::sum));
        return new Figures(succeeded + other.succeeded, failed + other.failed, healthReports + other.healthReports,
                unhealthyReports + other.unhealthyReports, bootFailures + other.bootFailures,
                appUnhealthy + other.appUnhealthy, crashes + other.crashes,
                heartbeatsReturned + other.heartbeatsReturned, heartbeatsMissed + other.heartbeatsMissed,
                bootFailedDevices + other.bootFailedDevices, unhealthyDevices + other.unhealthyDevices, sums, counts);
    }

    /** What these figures hold beyond {@code earlier} (a later cumulative sum of the same reports minus an earlier). */
    public Figures minus(Figures earlier) {
        if (earlier == null || earlier == NONE) {
            return this;
        }
        Map<String, Double> sums = new TreeMap<>(metricSums);
        earlier.metricSums.forEach((name, value) -> sums.merge(name, -value, Double::sum));
        Map<String, Long> counts = new TreeMap<>(metricCounts);
        earlier.metricCounts.forEach((name, value) -> counts.merge(name, -value, Long::sum));
        counts.values().removeIf(count -> count == 0);
        sums.keySet().retainAll(counts.keySet());
        return new Figures(succeeded - earlier.succeeded, failed - earlier.failed, healthReports - earlier.healthReports,
                unhealthyReports - earlier.unhealthyReports, bootFailures - earlier.bootFailures,
                appUnhealthy - earlier.appUnhealthy, crashes - earlier.crashes,
                heartbeatsReturned - earlier.heartbeatsReturned, heartbeatsMissed - earlier.heartbeatsMissed,
                bootFailedDevices - earlier.bootFailedDevices, unhealthyDevices - earlier.unhealthyDevices, sums,
                counts);
    }
}
