package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.updraft.support.validation.SafeText;

/**
 * hawkBit's {@code POST confirmationBase/activateAutoConfirm} body, both fields optional: who switched it on (a user
 * name on the device) and why. Kept on the device and shown by {@code GET confirmationBase}: one line, bounded.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiActivateAutoConfirmation(@SafeText(max = 200) String initiator, @SafeText(max = 1000) String remark) {
}
