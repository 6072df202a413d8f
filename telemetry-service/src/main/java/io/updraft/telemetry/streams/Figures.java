package io.updraft.telemetry.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * What one cohort showed over some span: install results, device health, heartbeats after install and custom
 * metrics (sum and count per name, so any span's mean can be computed). Immutable; {@code plus} returns a new one.
 */
public record Figures(long succeeded, long failed, long healthReports, long unhealthyReports, long bootFailures,
        long appUnhealthy, long crashes, long heartbeatsReturned, long heartbeatsMissed, Map<String, Double> metricSums,
        Map<String, Long> metricCounts) {

    public static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());
    static final Serde<Figures> SERDE = CompactSerde.of(Figures.class, (out, figures) -> figures.write(out),
            Figures::read);

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

    public Figures plus(CohortSignal signal) {
        return switch (signal.kind()) {
            case INSTALL_SUCCEEDED -> with(succeeded + 1, failed, 0, 0, 0, 0, 0, 0, 0, null);
            case INSTALL_FAILED -> with(succeeded, failed + 1, 0, 0, 0, 0, 0, 0, 0, null);
            case HEALTH -> plus(signal.health());
            case HEARTBEAT_RETURNED -> with(succeeded, failed, 0, 0, 0, 0, 0, 1, 0, null);
            case HEARTBEAT_MISSED -> with(succeeded, failed, 0, 0, 0, 0, 0, 0, 1, null);
            case BASELINE, POLICY -> this;
        };
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
                heartbeatsReturned + other.heartbeatsReturned, heartbeatsMissed + other.heartbeatsMissed, sums, counts);
    }

    private Figures with(long succeeded, long failed, long reports, long unhealthy, long bootFailures,
            long appUnhealthy, long crashes, long returned, long missed, Map<String, Double> metrics) {
        Map<String, Double> sums = metricSums;
        Map<String, Long> counts = metricCounts;
        if (metrics != null && !metrics.isEmpty()) {
            sums = new HashMap<>(metricSums);
            counts = new HashMap<>(metricCounts);
            for (Map.Entry<String, Double> metric : metrics.entrySet()) {
                if (metric.getValue() != null && Double.isFinite(metric.getValue())) {
                    sums.merge(metric.getKey(), metric.getValue(), Double::sum);
                    counts.merge(metric.getKey(), 1L, Long::sum);
                }
            }
        }
        return new Figures(succeeded, failed, healthReports + reports, unhealthyReports + unhealthy,
                this.bootFailures + bootFailures, this.appUnhealthy + appUnhealthy, this.crashes + crashes,
                heartbeatsReturned + returned, heartbeatsMissed + missed, sums, counts);
    }

    void write(DataOutput out) throws IOException {
        for (long count : new long[] { succeeded, failed, healthReports, unhealthyReports, bootFailures, appUnhealthy,
                crashes, heartbeatsReturned, heartbeatsMissed }) {
            out.writeLong(count);
        }
        CompactSerde.writeDoubles(out, metricSums);
        CompactSerde.writeLongs(out, metricCounts);
    }

    static Figures read(DataInput in) throws IOException {
        return new Figures(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), CompactSerde.readDoubles(in), CompactSerde.readLongs(in));
    }
}
