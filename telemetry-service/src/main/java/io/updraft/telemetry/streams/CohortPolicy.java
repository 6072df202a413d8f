package io.updraft.telemetry.streams;

import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.telemetry.config.TelemetryConfig;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;

/**
 * Everything a cohort is judged by. The failure-rate threshold and min sample size come from the rollout's
 * RolloutCreated; the other rules from configuration until the event can carry them. A window of zero means "since
 * the rollout started".
 */
public record CohortPolicy(double failureRateThreshold, int minSampleSize, Duration failureRateWindow,
        double crashRegressionFactor, double crashRateFloor, int crashMinSampleSize, Duration crashWindow,
        double missedHeartbeatThreshold, int missedHeartbeatMinSampleSize, Duration missedHeartbeatWindow,
        int failureLimit, int consecutiveFailures) {

    public CohortPolicy {
        if (!(failureRateThreshold > 0.0 && failureRateThreshold <= 1.0)) {
            throw new IllegalArgumentException("failure rate threshold must be in (0, 1], was " + failureRateThreshold);
        }
        if (minSampleSize < 1 || crashMinSampleSize < 1 || missedHeartbeatMinSampleSize < 1) {
            throw new IllegalArgumentException("min sample sizes must be at least 1");
        }
        if (!(crashRegressionFactor > 1.0) || !(crashRateFloor > 0.0)) {
            throw new IllegalArgumentException("crash regression factor must be > 1 and the floor > 0");
        }
        if (!(missedHeartbeatThreshold > 0.0 && missedHeartbeatThreshold <= 1.0)) {
            throw new IllegalArgumentException("missed heartbeat threshold must be in (0, 1]");
        }
        if (failureLimit < 0 || consecutiveFailures < 0) {
            throw new IllegalArgumentException("failure limit and consecutive failures must not be negative");
        }
    }

    public static CohortPolicy defaults(TelemetryConfig config) {
        return of(config.defaultFailureRateThreshold(), config.defaultMinSampleSize(), config.policy());
    }

    /** The rollout's own policy over the configured rest; null (no policy in the event) means the defaults. */
    public static CohortPolicy of(RollbackPolicy policy, TelemetryConfig config) {
        return policy == null ? defaults(config)
                : of(policy.failureRateThreshold(), policy.minSampleSize(), config.policy());
    }

    private static CohortPolicy of(double threshold, int minSampleSize, TelemetryConfig.Policy rest) {
        return new CohortPolicy(threshold, minSampleSize, rest.failureRateWindow(), rest.crashRegressionFactor(),
                rest.crashRateFloor(), rest.crashMinSampleSize(), rest.crashWindow(), rest.missedHeartbeatThreshold(),
                rest.missedHeartbeatMinSampleSize(), rest.missedHeartbeatWindow(), rest.failureLimit(),
                rest.consecutiveFailures());
    }

    public CohortPolicy withFailureRate(double threshold, int minSampleSize) {
        return new CohortPolicy(threshold, minSampleSize, failureRateWindow, crashRegressionFactor, crashRateFloor,
                crashMinSampleSize, crashWindow, missedHeartbeatThreshold, missedHeartbeatMinSampleSize,
                missedHeartbeatWindow, failureLimit, consecutiveFailures);
    }

    public CohortPolicy withAnalysis(int failureLimit, int consecutiveFailures) {
        return new CohortPolicy(failureRateThreshold, minSampleSize, failureRateWindow, crashRegressionFactor,
                crashRateFloor, crashMinSampleSize, crashWindow, missedHeartbeatThreshold,
                missedHeartbeatMinSampleSize, missedHeartbeatWindow, failureLimit, consecutiveFailures);
    }

    public Duration windowOf(PolicyRule rule) {
        return switch (rule) {
            case FAILURE_RATE -> failureRateWindow;
            case CRASH_REGRESSION -> crashWindow;
            case MISSED_HEARTBEAT -> missedHeartbeatWindow;
        };
    }

    void write(DataOutput out) throws IOException {
        out.writeDouble(failureRateThreshold);
        out.writeInt(minSampleSize);
        CompactSerde.writeDuration(out, failureRateWindow);
        out.writeDouble(crashRegressionFactor);
        out.writeDouble(crashRateFloor);
        out.writeInt(crashMinSampleSize);
        CompactSerde.writeDuration(out, crashWindow);
        out.writeDouble(missedHeartbeatThreshold);
        out.writeInt(missedHeartbeatMinSampleSize);
        CompactSerde.writeDuration(out, missedHeartbeatWindow);
        out.writeInt(failureLimit);
        out.writeInt(consecutiveFailures);
    }

    static CohortPolicy read(DataInput in) throws IOException {
        return new CohortPolicy(in.readDouble(), in.readInt(), CompactSerde.readDuration(in), in.readDouble(),
                in.readDouble(), in.readInt(), CompactSerde.readDuration(in), in.readDouble(), in.readInt(),
                CompactSerde.readDuration(in), in.readInt(), in.readInt());
    }
}
