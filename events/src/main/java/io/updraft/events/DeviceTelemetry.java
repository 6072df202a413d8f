package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Map;

/** Device health on {@link Topics#DEVICE_TELEMETRY}, keyed by device id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(DeviceTelemetry.HealthReported.class) })
public sealed interface DeviceTelemetry extends UpdraftEvent {
    String deviceId();

    @Override
    @JsonIgnore
    default String key() {
        return deviceId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.DEVICE_TELEMETRY;
    }

    record HealthReported(String eventId, Instant occurredAt, int schemaVersion, String deviceId, boolean bootOk,
            int crashCount, boolean appHealthy, Map<String, Double> metrics) implements DeviceTelemetry {
        public HealthReported {
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        }
    }
}
