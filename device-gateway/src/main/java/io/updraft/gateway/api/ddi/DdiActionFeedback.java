package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Feedback body. Agents also send legacy {@code id} (integer) and {@code time}, newer ones {@code timestamp}: all
 * accepted and ignored, as is anything else unknown.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiActionFeedback(Status status) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(String execution, Result result, List<String> details) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(String finished) {
    }
}
