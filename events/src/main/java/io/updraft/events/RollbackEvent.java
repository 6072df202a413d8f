package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** Rollback decisions on {@link Topics#ROLLBACKS}, keyed by rollout id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(RollbackEvent.RollbackTriggered.class) })
public sealed interface RollbackEvent extends UpdraftEvent {
    String rolloutId();

    @Override
    @JsonIgnore
    default String key() {
        return rolloutId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.ROLLBACKS;
    }

    /**
     * The figures of the window that crossed the line: the cohort's install results, and the rule that decided with
     * the numbers that met it — {@code devicesCounted} of {@code devicesJudged} devices ({@code observed} the
     * measured value, {@code limit} the threshold it reached; for crashRegression, crashes per report).
     */
    record Evidence(long succeeded, long failed, double failureRate, double threshold, int minSampleSize,
            Instant windowStart, Instant windowEnd, String rule, long devicesCounted, long devicesJudged,
            double observed, double limit) {
        public Evidence(long succeeded, long failed, double failureRate, double threshold, int minSampleSize,
                Instant windowStart, Instant windowEnd) {
            this(succeeded, failed, failureRate, threshold, minSampleSize, windowStart, windowEnd, null, 0, 0, 0, 0);
        }
    }

    record RollbackTriggered(String eventId, Instant occurredAt, int schemaVersion, String rolloutId, String cohort,
            String reason, Evidence evidence) implements RollbackEvent {
    }
}
