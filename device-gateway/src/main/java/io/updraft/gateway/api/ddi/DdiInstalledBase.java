package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import jakarta.validation.constraints.NotBlank;

/**
 * Updraft's {@code PUT installedBase} body: a version the device got out of band (factory image, manual flash),
 * {@code {"version":"1.2.0","releaseId":"…"}}; releaseId is optional. Both are published to (and stored by) the
 * rollout-service: one line, no control characters, bounded.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiInstalledBase(@NotBlank @SafeText(max = 100) String version, @Identifier String releaseId) {
}
