package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.updraft.support.validation.SafeText;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Updraft's extension of DDI: the device's own view of its health after an update. Custom metrics are bounded (at
 * most {@link #MAX_METRICS}, names of one line, values present) as they travel on to the telemetry-service.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiHealth(@NotNull Boolean bootOk, @Min(0) Integer crashCount, @NotNull Boolean appHealthy,
        @Size(max = MAX_METRICS) Map<@NotBlank @SafeText(max = 128) String, @NotNull Double> metrics) {
    public static final int MAX_METRICS = 50;
}
