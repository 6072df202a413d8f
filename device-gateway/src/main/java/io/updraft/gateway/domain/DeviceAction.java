package io.updraft.gateway.domain;

import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

@Entity
@Table(name = "device_action")
@IdClass(DeviceAction.Key.class)
public class DeviceAction {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "action_id")
    public Long actionId;

    @Column(name = "controller_id", nullable = false)
    public String controllerId;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public ActionStatus status;

    @Column(name = "command_event_id", nullable = false)
    public String commandEventId;

    /** The InstallRequested as received: deploymentBase and every report are answered from it. */
    @Column(name = "command", nullable = false)
    public String command;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** From the command: after it an action the device has not started on expires; null = never. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** When the device reported the image installed, before its reboot ({@link io.updraft.gateway.domain.Feedback}). */
    @Column(name = "installed_at")
    public Instant installedAt;

    /** The operator who asked for this action's cancel at the gateway (their token's subject), null otherwise. */
    @Column(name = "cancel_requested_by")
    public String cancelRequestedBy;

    /** The operator's reason for that cancel, or null. */
    @Column(name = "cancel_reason")
    public String cancelReason;

    /**
     * The command requires confirmation and the device has not confirmed it yet: while PENDING it is offered under
     * confirmationBase (unless the device has auto-confirm on), not deploymentBase.
     */
    @Column(name = "awaiting_confirmation", nullable = false)
    public boolean awaitingConfirmation;

    /**
     * From a confirmation-required command: while the action still waits for the device's answer it expires at this
     * instant (or at {@link #expiresAt}, whichever comes first); null = no confirmation deadline.
     */
    @Column(name = "confirm_by")
    public Instant confirmBy;

    /** A new action for the command, in {@code status}, created at {@code at}. */
    public static DeviceAction of(String tenant, DeviceCommand.InstallRequested command,
            ActionStatus status, Instant at) {
        DeviceAction action = new DeviceAction();
        action.tenantId = tenant;
        action.actionId = command.actionId();
        action.controllerId = command.deviceId();
        action.status = status;
        action.commandEventId = command.eventId();
        action.command = EventJson.write(command);
        action.createdAt = at;
        action.updatedAt = at;
        action.expiresAt = command.expiresAt();
        action.awaitingConfirmation = command.confirmationRequired();
        action.confirmBy = command.confirmationRequired() ? command.confirmBy() : null;
        return action;
    }

    /** When the action stops being offered: {@link #expiresAt}, or {@link #confirmBy} first while it waits. */
    public Instant dueAt(boolean autoConfirm) {
        return needsConfirmation(autoConfirm) ? Expiry.earliest(expiresAt, confirmBy) : expiresAt;
    }

    /**
     * Why the action is due at {@code now}: {@link DeviceReport.ActionExpired#CONFIRMATION_DEADLINE} if it was the
     * device's unanswered confirmation that ran out (first), else null (its {@code expiresAt}).
     */
    public String expiryReason(boolean autoConfirm, Instant now) {
        boolean unanswered = needsConfirmation(autoConfirm) && Expiry.isDue(confirmBy, now)
                && (expiresAt == null || confirmBy.isBefore(expiresAt));
        return unanswered ? DeviceReport.ActionExpired.CONFIRMATION_DEADLINE : null;
    }

    /** The device must still answer confirmationBase before it gets the deployment. */
    public boolean needsConfirmation(boolean autoConfirm) {
        return status == ActionStatus.PENDING && awaitingConfirmation && !autoConfirm;
    }

    public DeviceCommand.InstallRequested install() {
        return (DeviceCommand.InstallRequested) EventJson.read(command, DeviceCommand.class);
    }

    /** Changes the identity of the deploymentBase link ({@code c}) whenever the action changes. */
    public String linkHash() {
        return linkHash(actionId, commandEventId);
    }

    public static String linkHash(long actionId, String commandEventId) {
        return Integer.toString((actionId + ":" + commandEventId).hashCode());
    }

    /** The primary key (tenant_id, action_id). */
    public static class Key implements Serializable {
        public String tenantId;
        public Long actionId;

        public Key() {
        }

        public Key(String tenantId, Long actionId) {
            this.tenantId = tenantId;
            this.actionId = actionId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(actionId, k.actionId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, actionId);
        }
    }
}
