package io.updraft.gateway.service;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.gateway.domain.ActionReports;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.Expiry;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * hawkBit's confirmation flow at the gateway: an action whose command requires confirmation waits (PENDING, offered
 * under confirmationBase) until the device confirms it — then it is offered for deployment as any other — or denies
 * it — then it ends DENIED and ActionDenied is reported. With auto-confirm on, the device's actions need no answer.
 */
@ApplicationScoped
public class Confirmations {
    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    ActionQueue queue;
    @Inject
    DeviceChanges changes;
    @Inject
    Outbox outbox;
    @Inject
    TenantQuotaBook quotas;

    /** What {@code GET confirmationBase} shows: the device's auto-confirm state and the action waiting, if any. */
    public record State(Device device, Optional<DeviceAction> waiting) {
    }

    @Transactional
    public State state(String tenant, String controllerId) {
        Device device = devices.byId(tenant, controllerId);
        if (device == null) {
            throw ProblemException.notFound("device " + controllerId + " is not known");
        }
        return new State(device, actions.current(tenant, controllerId)
                .filter(a -> a.needsConfirmation(device.autoConfirm)
                && !Expiry.isDue(a.dueAt(device.autoConfirm), Instant.now())));
    }

    /** The action the device is asked to confirm; 404 for any other (fetched, confirmed, ended, due, not its). */
    @Transactional
    public DeviceAction toConfirm(String tenant, String controllerId, long actionId) {
        return waitingAction(tenant, controllerId, actionId);
    }

    /** The device confirmed: the action is offered under deploymentBase from its next poll. */
    @Transactional
    public void confirm(String tenant, String controllerId, long actionId) {
        DeviceAction action = lockedWaiting(tenant, controllerId, actionId);
        action.awaitingConfirmation = false;
        action.updatedAt = Instant.now();
        outbox.append(tenant, ActionReports.progressed(action.install(), "confirmed", List.of()));
        changes.changed(tenant, controllerId);
    }

    /** The device denied: the action ends DENIED (the queued one, if any, becomes current) and ActionDenied is told. */
    @Transactional
    public void deny(String tenant, String controllerId, long actionId, Integer code, List<String> details) {
        DeviceAction action = lockedWaiting(tenant, controllerId, actionId);
        InstallRequested command = action.install();
        queue.move(action, ActionStatus.Trigger.DENY);
        outbox.append(tenant, ActionReports.denied(command, code, details));
    }

    /** Switches auto-confirm on (replacing initiator and remark) and confirms what waits, as hawkBit does. */
    @Transactional
    public void activateAutoConfirm(String tenant, String controllerId, String initiator, String remark) {
        Device device = devices.lockOrCreate(tenant, controllerId, quotas.quotas(tenant).maxDevices());
        device.autoConfirm = true;
        device.autoConfirmInitiator = initiator;
        device.autoConfirmRemark = remark;
        device.autoConfirmAt = Instant.now();
        devices.flush();
        actions.confirmAll(tenant, controllerId);
        changes.changed(tenant, controllerId);
    }

    @Transactional
    public void deactivateAutoConfirm(String tenant, String controllerId) {
        Device device = devices.lockOrCreate(tenant, controllerId, quotas.quotas(tenant).maxDevices());
        device.autoConfirm = false;
        device.autoConfirmInitiator = null;
        device.autoConfirmRemark = null;
        device.autoConfirmAt = null;
        changes.changed(tenant, controllerId);
    }

    private DeviceAction waitingAction(String tenant, String controllerId, long actionId) {
        Device device = devices.byId(tenant, controllerId);
        DeviceAction action = actions.ofDevice(tenant, controllerId, actionId).orElse(null);
        if (device == null || action == null || !action.needsConfirmation(device.autoConfirm)
                || Expiry.isDue(action.dueAt(device.autoConfirm), Instant.now())) {
            throw notWaiting(actionId);
        }
        return action;
    }

    /**
     * The action, under its device's lock, if it waits for this device's answer. As hawkBit: an action that ended
     * (or expired) is 410, one that does not wait (never asked, answered, auto-confirmed, queued) or is not this
     * device's 404 — a repeated answer included, so the outcome is told once.
     */
    private DeviceAction lockedWaiting(String tenant, String controllerId, long actionId) {
        Device device = devices.lock(tenant, controllerId).orElseThrow(() -> notWaiting(actionId));
        DeviceAction action = actions.ofDevice(tenant, controllerId, actionId).orElseThrow(() -> notWaiting(actionId));
        waiting(device, action, actionId);
        return action;
    }

    /** The poll or the sweep expires a due action and reports it; a rolled-back transaction here could not. */
    private static void waiting(Device device, DeviceAction action, long actionId) {
        if (action.status.isTerminal() || Expiry.isDue(action.dueAt(device.autoConfirm), Instant.now())) {
            throw new ProblemException(410, "Gone", "action " + actionId + " is over");
        }
        if (!action.needsConfirmation(device.autoConfirm)) {
            throw notWaiting(actionId);
        }
    }

    static ProblemException notWaiting(long actionId) {
        return ProblemException.notFound("action " + actionId + " is not waiting for this device's confirmation");
    }
}
