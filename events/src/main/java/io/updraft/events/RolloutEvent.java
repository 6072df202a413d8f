package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A rollout's life on {@link Topics#ROLLOUT_EVENTS}, keyed by rollout id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(RolloutEvent.RolloutCreated.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutGroupStarted.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutPaused.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutResumed.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutCompleted.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutAborted.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutRolledBack.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutAwaitingApproval.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutApproved.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutScheduled.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutStarted.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutWaveTimedOut.class),
        @JsonSubTypes.Type(RolloutEvent.RolloutActionRetried.class) })
public sealed interface RolloutEvent extends UpdraftEvent {
    String rolloutId();

    @Override
    @JsonIgnore
    default String key() {
        return rolloutId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.ROLLOUT_EVENTS;
    }

    /**
     * How telemetry judges each hardware cohort of the rollout. rollout-service writes every rule (the request over
     * its configured defaults); a rule missing from an older event is judged by telemetry's own defaults.
     * {@code failureRateThreshold} and {@code minSampleSize} are {@code failedInstalls}' rate and minimum sample.
     * Every rule but {@code crashRegression} needs no health from before the install.
     */
    record RollbackPolicy(double failureRateThreshold, int minSampleSize, CountRule failedInstalls,
            CountRule bootFailures, DeviceHealthRule unhealthyDevices, SilenceRule silentDevices,
            RegressionRule crashRegression) {
        /** The failure-rate rule alone (every other rule at telemetry's defaults). */
        public RollbackPolicy(double failureRateThreshold, int minSampleSize) {
            this(failureRateThreshold, minSampleSize, null, null, null, null, null);
        }
    }

    /**
     * A rule over devices of the cohort: it fails when at least {@code count} devices (null: no count limit) or at
     * least the share {@code rate} of the judged devices (null: no rate limit) meet it, once {@code minSample}
     * devices were judged — or all of the cohort's devices, when the cohort is smaller. {@code window}: only what
     * happened within it counts (zero: since the rollout started).
     */
    record CountRule(Double rate, Integer count, int minSample, Duration window) {
    }

    /**
     * Devices on the new release that reported unhealthy (failed boot or unhealthy application) or crash-looped: at
     * least {@code crashes} crashes within {@code crashWindow}. Judged over the devices that installed.
     */
    record DeviceHealthRule(Double rate, Integer count, int minSample, Duration window, int crashes,
            Duration crashWindow) {
    }

    /** Devices silent for longer than {@code silence} after reporting the release installed. */
    record SilenceRule(Double rate, Integer count, int minSample, Duration window, Duration silence) {
    }

    /**
     * Crashes per health report on the new release at least {@code factor} times those of the same cohort's devices
     * on their previous release (never counted below {@code floor}); needs {@code minSample} reports on both, so it
     * stays inconclusive where devices sent no health before the install.
     */
    record RegressionRule(double factor, double floor, int minSample, Duration window) {
    }

    record RolloutCreated(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String name,
            String releaseId, String version, int waveCount, int deviceCount, List<String> cohorts,
            RollbackPolicy policy, Map<String, Integer> cohortDevices) implements RolloutEvent {
        public RolloutCreated {
            cohorts = List.copyOf(cohorts);
            cohortDevices = cohortDevices == null ? Map.of() : Map.copyOf(cohortDevices);
        }

        public RolloutCreated(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String name,
                String releaseId, String version, int waveCount, int deviceCount, List<String> cohorts,
                RollbackPolicy policy) {
            this(eventId, occurredAt, schemaVersion, rolloutId, name, releaseId, version, waveCount, deviceCount,
                    cohorts, policy, Map.of());
        }
    }

    record RolloutGroupStarted(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, int wave,
            int deviceCount) implements RolloutEvent {
    }

    record RolloutPaused(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String reason)
            implements RolloutEvent {
    }

    /** An operator resumed the rollout; {@code reason} as they gave it (null when none). */
    record RolloutResumed(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String reason)
            implements RolloutEvent {
        public RolloutResumed(String eventId, Instant occurredAt, int schemaVersion, String rolloutId) {
            this(eventId, occurredAt, schemaVersion, rolloutId, null);
        }
    }

    record RolloutCompleted(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, int succeeded,
            int failed, List<String> rolledBackCohorts) implements RolloutEvent {
        public RolloutCompleted {
            rolledBackCohorts = List.copyOf(rolledBackCohorts);
        }
    }

    record RolloutAborted(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String reason)
            implements RolloutEvent {
    }

    /** One cohort of the rollout was stopped and its devices sent back to what they ran before. */
    record RolloutRolledBack(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String cohort,
            int devicesSentBack, String reason) implements RolloutEvent {
    }

    /** The rollout's next wave needs an operator's approval: nothing of that wave is sent until it is approved. */
    record RolloutAwaitingApproval(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, int wave,
            int deviceCount) implements RolloutEvent {
    }

    /** An operator approved the wave the rollout was waiting for; its RolloutGroupStarted follows. */
    record RolloutApproved(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, int wave,
            String approvedBy) implements RolloutEvent {
    }

    /** The rollout waits for its start time ({@code startAt}): nothing is sent before it; RolloutStarted follows. */
    record RolloutScheduled(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, Instant startAt)
            implements RolloutEvent {
    }

    /** A scheduled rollout reached its start time; its first wave's RolloutGroupStarted (or approval wait) follows. */
    record RolloutStarted(String eventId, Instant occurredAt, int schemaVersion, String rolloutId)
            implements RolloutEvent {
    }

    /**
     * The wave's timeout passed before enough devices finished: it is judged on what finished. The
     * {@code pendingDevices} keep their open actions (they install when they come back) and count neither as failed
     * nor against the success threshold.
     */
    record RolloutWaveTimedOut(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, int wave,
            int pendingDevices) implements RolloutEvent {
    }

    /**
     * A device's install failed and the rollout's retry budget allows another attempt: {@code newActionId} is sent
     * (an InstallRequested that supersedes {@code failedActionId}); {@code attempt} counts from 1.
     */
    record RolloutActionRetried(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String deviceId,
            int wave, long failedActionId, long newActionId, int attempt) implements RolloutEvent {
    }
}
