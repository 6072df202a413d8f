package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/** Events on {@link Topics#DEVICE_COMMANDS}, keyed by device id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(DeviceCommand.InstallRequested.class),
        @JsonSubTypes.Type(DeviceCommand.CancelRequested.class) })
public sealed interface DeviceCommand extends UpdraftEvent {
    String deviceId();

    long actionId();

    @Override
    @JsonIgnore
    default String key() {
        return deviceId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.DEVICE_COMMANDS;
    }

    /**
     * Install {@code releaseId} on one device. {@code actionId} is unique across the system; {@code cohort} is the
     * hardware cohort ({@code model:revision}) the rollout placed the device in; {@code rollback} marks an install
     * that returns a device to the release it ran before. {@code deadline}: when a TIMEFORCED action becomes
     * forced. {@code expiresAt} (optional): after it the action is no longer offered and is reported expired.
     * {@code maintenanceWindow} (optional): installs only while the window is open. {@code confirmationRequired}
     * (optional since schema 1, absent = false): the device must confirm the action before it is offered for install
     * (hawkBit's confirmation flow: offered under {@code confirmationBase} unless the device has auto-confirm on).
     * {@code confirmBy} (optional, absent = no deadline but {@code expiresAt}): an action still waiting for the
     * device's confirmation at this instant ends EXPIRED (ActionExpired with reason {@code confirmation-deadline}).
     */
    record InstallRequested(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, int wave, String cohort, String releaseId, String releaseName, String version,
            List<ArtifactRef> artifacts, ActionType actionType, Instant deadline, boolean rollback,
            Instant expiresAt, MaintenanceWindow maintenanceWindow, boolean confirmationRequired, Instant confirmBy)
            implements DeviceCommand {
        public InstallRequested {
            artifacts = List.copyOf(artifacts);
        }

        /** An install without a confirmation deadline of its own. */
        public InstallRequested(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
                String rolloutId, int wave, String cohort, String releaseId, String releaseName, String version,
                List<ArtifactRef> artifacts, ActionType actionType, Instant deadline, boolean rollback,
                Instant expiresAt, MaintenanceWindow maintenanceWindow, boolean confirmationRequired) {
            this(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, wave, cohort, releaseId,
                    releaseName, version, artifacts, actionType, deadline, rollback, expiresAt, maintenanceWindow,
                    confirmationRequired, null);
        }

        /** An install the device need not confirm. */
        public InstallRequested(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
                String rolloutId, int wave, String cohort, String releaseId, String releaseName, String version,
                List<ArtifactRef> artifacts, ActionType actionType, Instant deadline, boolean rollback,
                Instant expiresAt, MaintenanceWindow maintenanceWindow) {
            this(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, wave, cohort, releaseId,
                    releaseName, version, artifacts, actionType, deadline, rollback, expiresAt, maintenanceWindow,
                    false, null);
        }
    }

    record CancelRequested(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, String reason) implements DeviceCommand {
    }
}
