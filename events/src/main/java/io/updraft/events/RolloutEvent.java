package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

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
        @JsonSubTypes.Type(RolloutEvent.RolloutApproved.class) })
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

    /** The policy telemetry needs to judge the rollout's cohorts. */
    record RollbackPolicy(double failureRateThreshold, int minSampleSize) {
    }

    record RolloutCreated(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String name,
            String releaseId, String version, int waveCount, int deviceCount, List<String> cohorts,
            RollbackPolicy policy) implements RolloutEvent {
        public RolloutCreated {
            cohorts = List.copyOf(cohorts);
        }
    }

    record RolloutGroupStarted(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, int wave,
            int deviceCount) implements RolloutEvent {
    }

    record RolloutPaused(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String reason)
            implements RolloutEvent {
    }

    record RolloutResumed(String eventId, Instant occurredAt, int schemaVersion, String rolloutId)
            implements RolloutEvent {
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
}
