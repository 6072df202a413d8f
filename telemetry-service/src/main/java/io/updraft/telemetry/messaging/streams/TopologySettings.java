package io.updraft.telemetry.messaging.streams;

import io.updraft.events.Topics;
import io.updraft.telemetry.config.ConfiguredPolicy;
import io.updraft.telemetry.config.TelemetryConfig;
import io.updraft.telemetry.domain.CohortPolicy;
import java.time.Duration;

/** What the health topology is built from: its topics (tests use their own), the default policy, the timings. */
public record TopologySettings(String deviceReports, String deviceTelemetry, String rolloutEvents, String rollbacks,
        CohortPolicy defaults, Duration window, Duration heartbeatStep, Duration maxSilence, Duration retention) {

    public static TopologySettings of(TelemetryConfig config) {
        return new TopologySettings(Topics.DEVICE_REPORTS, Topics.DEVICE_TELEMETRY, Topics.ROLLOUT_EVENTS,
                Topics.ROLLBACKS, ConfiguredPolicy.defaults(config), config.window(), config.policy().heartbeatCheckStep(),
                config.policy().heartbeatMaxSilence(), retentionFor(config));
    }

    /**
     * Windows are kept as long as the longest configured evaluation window needs them, and at least a day for
     * dashboards; a rollout's own window longer than that is judged over what is kept.
     */
    private static Duration retentionFor(TelemetryConfig config) {
        Duration longest = Duration.ofDays(1);
        for (Duration d : new Duration[] { config.policy().crashWindow(), config.policy().failureRateWindow(),
                config.policy().missedHeartbeatWindow(), config.policy().bootFailureWindow(),
                config.policy().unhealthyDeviceWindow() }) {
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest.plus(config.window());
    }

    public TopologySettings withTopicPrefix(String prefix) {
        return new TopologySettings(prefix + deviceReports, prefix + deviceTelemetry, prefix + rolloutEvents,
                prefix + rollbacks, defaults, window, heartbeatStep, maxSilence, retention);
    }

    /**
     * How often the device tracker sends on the health reports it added up per cohort window ({@link PendingHealth}):
     * the crash rule is measured at most this often per cohort window, and its detection waits at most this long
     * beyond the commit. Install results and heartbeats are sent on at once.
     */
    public Duration healthFlushInterval() {
        return Duration.ofMillis(100);
    }

    /**
     * How many device states a task keeps as objects (beyond it the oldest are written back and read again from
     * RocksDB when next needed): about 0.3 KB each.
     */
    public int deviceObjectsPerTask() {
        return 50_000;
    }

    /** How often devices past a silence checkpoint are looked for. */
    public Duration heartbeatCheckInterval() {
        Duration quarter = heartbeatStep.dividedBy(4);
        Duration max = Duration.ofSeconds(5);
        Duration min = Duration.ofMillis(100);
        return quarter.compareTo(max) > 0 ? max : quarter.compareTo(min) < 0 ? min : quarter;
    }
}
