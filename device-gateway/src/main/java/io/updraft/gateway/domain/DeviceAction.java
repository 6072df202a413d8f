package io.updraft.gateway.domain;

import io.updraft.events.DeviceCommand;
import io.updraft.events.EventJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "device_action")
public class DeviceAction {
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

    /** A new action for the command, in {@code status}, created at {@code at}. */
    public static DeviceAction of(DeviceCommand.InstallRequested command,
            ActionStatus status, Instant at) {
        DeviceAction action = new DeviceAction();
        action.actionId = command.actionId();
        action.controllerId = command.deviceId();
        action.status = status;
        action.commandEventId = command.eventId();
        action.command = EventJson.write(command);
        action.createdAt = at;
        action.updatedAt = at;
        action.expiresAt = command.expiresAt();
        action.awaitingConfirmation = command.confirmationRequired();
        return action;
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
}
