package io.updraft.gateway.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Updraft's {@code PUT installedBase} body: a version the device got out of band (factory image, manual flash),
 * {@code {"version":"1.2.0","releaseId":"…"}}; releaseId is optional.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiInstalledBase(@NotBlank @Size(max = 100) String version, @Size(max = 200) String releaseId) {
}
