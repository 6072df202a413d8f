package io.updraft.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "updraft.telemetry")
public interface TelemetryConfig {
    /** Judges a rollout whose RolloutCreated (with its own policy) has not arrived yet. */
    @WithDefault("0.5")
    double defaultFailureRateThreshold();

    @WithDefault("3")
    int defaultMinSampleSize();

    /** How often a health window closes per rollout (the scheduler reads the same key); also the Streams bucket. */
    @WithDefault("10s")
    Duration window();

    /**
     * How the health topology processes (Kafka Streams' {@code processing.guarantee}, which application.properties
     * sets from this key; a value not named here fails the start): {@code exactly_once_v2} commits state, output and
     * input offsets in one transaction; {@code at_least_once} (the default, ADR 0028) commits without one and relies
     * on the signals' positions, the devices counted silent, state written only after its outputs and the decisions'
     * ids to keep the effect exactly once.
     */
    @WithDefault("at_least_once")
    ProcessingGuarantee processingGuarantee();

    /** The guarantees the topology is built for (Kafka Streams' names). */
    enum ProcessingGuarantee {
        EXACTLY_ONCE_V2, AT_LEAST_ONCE
    }

    /**
     * The health topology's commit interval (ms) under each guarantee; application.properties sets Kafka Streams'
     * {@code commit.interval.ms} from the one of the guarantee chosen. Under exactly-once a commit is also when output
     * becomes visible, so it stays short; under at-least-once output is sent at once and a commit only flushes the
     * producer and saves the offsets, so a longer interval costs detection nothing and replays more after a crash
     * (which the positions and decision ids absorb).
     */
    CommitIntervalMs commitIntervalMs();

    interface CommitIntervalMs {
        @WithName("exactly_once_v2")
        @WithDefault("100")
        long exactlyOnceV2();

        @WithName("at_least_once")
        @WithDefault("1000")
        long atLeastOnce();
    }

    /**
     * The rules a rollout is judged by until its RolloutCreated arrives, and those an older RolloutCreated lacks;
     * rollout-service sends every rule with each new rollout (its own configured defaults).
     */
    Policy policy();

    interface Policy {
        /** Failed installs that roll a cohort back whatever the rate (absent: no count limit). */
        Optional<Integer> failedInstallsCount();

        /** Devices that failed to boot the new release (failure after installed, or bootOk=false), per install. */
        @WithDefault("0.2")
        double bootFailureRate();

        Optional<Integer> bootFailureCount();

        @WithDefault("3")
        int bootFailureMinSampleSize();

        @WithDefault("0s")
        Duration bootFailureWindow();

        /** Devices on the new release that reported unhealthy or crash-looped, per device that installed it. */
        @WithDefault("0.3")
        double unhealthyDeviceRate();

        Optional<Integer> unhealthyDeviceCount();

        @WithDefault("3")
        int unhealthyDeviceMinSampleSize();

        @WithDefault("0s")
        Duration unhealthyDeviceWindow();

        /** A device crash-loops with at least this many crashes within {@code crash-loop-window}. */
        @WithDefault("3")
        int crashLoopCrashes();

        @WithDefault("10m")
        Duration crashLoopWindow();

        /**
         * How often a device that installed and has not been heard from is looked at again: a silent device is
         * counted at most this long after its rollout's silence ran out.
         */
        @WithDefault("30s")
        Duration heartbeatCheckStep();

        /** A device silent this long after installing is counted silent whatever its rollout's silence. */
        @WithDefault("1h")
        Duration heartbeatMaxSilence();

        /** Failure rate over installs finished within this window; 0 = since the rollout started. */
        @WithDefault("0s")
        Duration failureRateWindow();

        /** A cohort's crashes per health report fail when at least this factor of its previous-release baseline. */
        @WithDefault("2.0")
        double crashRegressionFactor();

        /** The baseline never counts as lower than this, so one crash against a perfect baseline is no regression. */
        @WithDefault("0.1")
        double crashRateFloor();

        /** Health reports (on the new and on the previous release) needed before crash rates are compared. */
        @WithDefault("5")
        int crashMinSampleSize();

        @WithDefault("5m")
        Duration crashWindow();

        /** The default silence: a device that installed and is not heard from within it counts as silent. */
        @WithDefault("5m")
        Duration heartbeatGrace();

        @WithDefault("0.3")
        double missedHeartbeatThreshold();

        @WithDefault("3")
        int missedHeartbeatMinSampleSize();

        /** 0 = since the rollout started. */
        @WithDefault("0s")
        Duration missedHeartbeatWindow();

        /** Argo's failureLimit: failed measurements tolerated before the rule fails (0: the first one fails it). */
        @WithDefault("0")
        int failureLimit();

        /** Failed measurements in a row that fail the rule whatever the failure limit; 0 = off. */
        @WithDefault("0")
        int consecutiveFailures();
    }
}
