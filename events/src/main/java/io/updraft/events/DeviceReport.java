package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What devices report, as the gateway publishes it on {@link Topics#DEVICE_REPORTS}, keyed by device id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(DeviceReport.DeviceRegistered.class),
        @JsonSubTypes.Type(DeviceReport.DeviceAttributesUpdated.class),
        @JsonSubTypes.Type(DeviceReport.ActionProgressed.class),
        @JsonSubTypes.Type(DeviceReport.ActionFinished.class),
        @JsonSubTypes.Type(DeviceReport.ActionCanceled.class),
        @JsonSubTypes.Type(DeviceReport.ActionExpired.class),
        @JsonSubTypes.Type(DeviceReport.ActionDenied.class),
        @JsonSubTypes.Type(DeviceReport.InstalledVersionReported.class),
        @JsonSubTypes.Type(DeviceReport.DeviceSeen.class) })
public sealed interface DeviceReport extends UpdraftEvent {
    /** Attribute keys with a meaning of their own: they define the hardware cohort. */
    String MODEL = "model";
    String REVISION = "revision";

    String deviceId();

    @Override
    @JsonIgnore
    default String key() {
        return deviceId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.DEVICE_REPORTS;
    }

    record DeviceRegistered(String eventId, Instant occurredAt, int schemaVersion, String deviceId, String tenant,
            Map<String, String> attributes) implements DeviceReport {
        public DeviceRegistered {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    /** {@code attributes} is the device's whole attribute set after applying {@code mode} (merge/replace/remove). */
    record DeviceAttributesUpdated(String eventId, Instant occurredAt, int schemaVersion, String deviceId,
            String mode, Map<String, String> attributes) implements DeviceReport {
        public DeviceAttributesUpdated {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    /** Intermediate progress; {@code execution} is the DDI execution status (proceeding, download, downloaded, ...). */
    record ActionProgressed(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, String cohort, String execution, List<String> details) implements DeviceReport {
        public ActionProgressed {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    /**
     * @param afterInstalled the device had reported the image installed (and was to reboot into it) before it sent
     *        this result: a FAILURE is then a boot failure — SWUpdate's path when the new image did not come up
     * @param bytesServed artifact bytes the gateway sent this device for the action (full, ranged and multi-range
     *        downloads together), or null when none went through it. Optional since schema 1: readers must accept
     *        its absence (events written before it existed have none)
     */
    record ActionFinished(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, int wave, String cohort, String releaseId, String version, boolean rollback,
            Outcome outcome, List<String> details, boolean afterInstalled, Long bytesServed) implements DeviceReport {
        public ActionFinished {
            details = details == null ? List.of() : List.copyOf(details);
        }

        public ActionFinished(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
                String rolloutId, int wave, String cohort, String releaseId, String version, boolean rollback,
                Outcome outcome, List<String> details, boolean afterInstalled) {
            this(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, wave, cohort, releaseId, version,
                    rollback, outcome, details, afterInstalled, null);
        }

        /** This report with the bytes served for its action. */
        public ActionFinished withBytesServed(Long bytes) {
            return new ActionFinished(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, wave, cohort,
                    releaseId, version, rollback, outcome, details, afterInstalled, bytes);
        }

        public ActionFinished(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
                String rolloutId, int wave, String cohort, String releaseId, String version, boolean rollback,
                Outcome outcome, List<String> details) {
            this(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, wave, cohort, releaseId, version,
                    rollback, outcome, details, false);
        }

        /** A failure after the device had installed the image: it did not boot (or came back on the old one). */
        @JsonIgnore
        public boolean bootFailure() {
            return outcome == Outcome.FAILURE && afterInstalled;
        }
    }

    enum Outcome {
        SUCCESS, FAILURE
    }

    /**
     * The action ended canceled: withdrawn before the device fetched it, or acknowledged by the device.
     *
     * @param canceledBy the subject of the operator's token when an operator asked for this cancel at the gateway
     *        ({@code POST /api/v1/devices/{id}/actions/{actionId}/cancel}); null when a rollout's
     *        {@code CancelRequested}, a newer install or the device itself canceled it. Optional since schema 1:
     *        readers must accept its absence (events written before it existed have none)
     * @param reason the operator's reason (at most 1000 characters, no control characters but line breaks), or null
     */
    record ActionCanceled(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, String cohort, String canceledBy, String reason) implements DeviceReport {
        public ActionCanceled(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
                String rolloutId, String cohort) {
            this(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, cohort, null, null);
        }
    }

    /**
     * The action's {@code expiresAt} passed before the device finished it, or its {@code confirmBy} before the device
     * confirmed it; it is no longer offered.
     *
     * @param reason optional (absent in events written before it existed): null for {@code expiresAt}, {@link
     *        #CONFIRMATION_DEADLINE} when the device neither confirmed nor denied by {@code confirmBy}
     */
    record ActionExpired(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, String cohort, String reason) implements DeviceReport {
        public static final String CONFIRMATION_DEADLINE = "confirmation-deadline";

        /** Expired by the action's {@code expiresAt}. */
        public ActionExpired(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
                String rolloutId, String cohort) {
            this(eventId, occurredAt, schemaVersion, deviceId, actionId, rolloutId, cohort, null);
        }

        public boolean confirmationDeadline() {
            return CONFIRMATION_DEADLINE.equals(reason);
        }
    }

    /**
     * The device (or its user) denied an action that required confirmation (hawkBit's confirmation feedback
     * {@code "denied"}); the action is over and was not installed. A type of its own, new in schema 1: a consumer
     * built before it parks it on its DLQ and goes on, and an outcome it already counts (failure, cancel) is never
     * misread as one.
     *
     * @param code the device's optional numeric code, or null
     * @param details the device's messages (capped and cleaned like feedback details)
     */
    record ActionDenied(String eventId, Instant occurredAt, int schemaVersion, String deviceId, long actionId,
            String rolloutId, String cohort, Integer code, List<String> details) implements DeviceReport {
        public ActionDenied {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    /** A version installed out of band ({@code PUT installedBase}) or confirmed by the device. */
    record InstalledVersionReported(String eventId, Instant occurredAt, int schemaVersion, String deviceId,
            String releaseId, String version) implements DeviceReport {
    }

    /** A sampled heartbeat: at most one per device per sampling interval, never one per poll. */
    record DeviceSeen(String eventId, Instant occurredAt, int schemaVersion, String deviceId) implements DeviceReport {
    }
}
