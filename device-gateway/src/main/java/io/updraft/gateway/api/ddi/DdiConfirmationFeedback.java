package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * hawkBit's confirmation feedback, {@code POST confirmationBase/{actionId}/feedback}:
 * {@code {"confirmation":"confirmed"|"denied","code":200,"details":["…"]}}; code and details are optional. The
 * confirmation is read as text and checked by the resource, so an unknown value is a clear 400.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiConfirmationFeedback(String confirmation, Integer code, List<String> details) {
}
