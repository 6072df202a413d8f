package io.updraft.gateway.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/** Updraft's extension of DDI: the device's own view of its health after an update. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiHealth(@NotNull Boolean bootOk, @Min(0) Integer crashCount, @NotNull Boolean appHealthy,
        Map<String, Double> metrics) {
}
