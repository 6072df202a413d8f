package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/** Aggregates for dashboards on {@link Topics#FLEET_HEALTH}, keyed by rollout id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(FleetHealthEvent.HealthWindowClosed.class) })
public sealed interface FleetHealthEvent extends UpdraftEvent {
    String rolloutId();

    @Override
    @JsonIgnore
    default String key() {
        return rolloutId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.FLEET_HEALTH;
    }

    /** Totals of one hardware cohort of one rollout, up to the end of the window. */
    record CohortHealth(String cohort, long succeeded, long failed, double failureRate, long healthReports,
            long unhealthyReports, long crashes, boolean rolledBack) {
    }

    record HealthWindowClosed(String eventId, Instant occurredAt, int schemaVersion, String rolloutId,
            Instant windowStart, Instant windowEnd, List<CohortHealth> cohorts) implements FleetHealthEvent {
        public HealthWindowClosed {
            cohorts = List.copyOf(cohorts);
        }
    }
}
