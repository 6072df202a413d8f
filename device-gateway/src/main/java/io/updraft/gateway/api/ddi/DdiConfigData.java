package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/** configData body; suricatta adds id/time/status fields, which are ignored. Missing mode means merge. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiConfigData(String mode, Map<String, Object> data) {
}
