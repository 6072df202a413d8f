package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/** Events on {@link Topics#RELEASES}, keyed by release id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ReleaseEvent.ReleasePublished.class),
        @JsonSubTypes.Type(ReleaseEvent.ReleaseMarkedStable.class),
        @JsonSubTypes.Type(ReleaseEvent.ReleaseRevoked.class) })
public sealed interface ReleaseEvent extends UpdraftEvent {
    String releaseId();

    @Override
    @JsonIgnore
    default String key() {
        return releaseId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.RELEASES;
    }

    record ReleasePublished(String eventId, Instant occurredAt, int schemaVersion, String releaseId, String name,
            String version, List<ArtifactRef> artifacts, List<HardwareCompatibility> hardware)
            implements ReleaseEvent {
        public ReleasePublished {
            artifacts = List.copyOf(artifacts);
            hardware = List.copyOf(hardware);
        }
    }

    record ReleaseMarkedStable(String eventId, Instant occurredAt, int schemaVersion, String releaseId)
            implements ReleaseEvent {
    }

    record ReleaseRevoked(String eventId, Instant occurredAt, int schemaVersion, String releaseId, String reason)
            implements ReleaseEvent {
    }
}
