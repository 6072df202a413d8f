package io.updraft.gateway.api.ddi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * hawkBit's {@code GET confirmationBase}: the device's auto-confirmation state and links to switch it and, while an
 * action waits for the device's confirmation, to that action.
 */
public record DdiConfirmationBase(AutoConfirm autoConfirm, @JsonProperty("_links") Map<String, DdiLink> links) {

    /** {@code initiator}, {@code remark} and {@code activatedAt} (epoch millis) only while it is active. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AutoConfirm(boolean active, String initiator, String remark, Long activatedAt) {
    }
}
