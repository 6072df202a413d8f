package io.updraft.gateway.service;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.gateway.domain.ActionReports;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Moves a device's actions through {@link ActionStatus}; callers hold the device row lock. When the current action
 * ends, the one queued behind it becomes current. Every move announces the device change.
 */
@ApplicationScoped
public class ActionQueue {
    @Inject
    DeviceActionRepository actions;
    @Inject
    DeviceChanges changes;
    @Inject
    Outbox outbox;

    @Transactional(Transactional.TxType.MANDATORY)
    public DeviceAction enqueue(String tenant, InstallRequested command, ActionStatus status) {
        DeviceAction action = DeviceAction.of(tenant, command, status, Instant.now());
        actions.persist(action);
        changes.changed(tenant, command.deviceId());
        return action;
    }

    /** @return false (and nothing changed) when the trigger does not apply to the action's status */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean move(DeviceAction action, ActionStatus.Trigger trigger) {
        ActionStatus next = action.status.next(trigger).orElse(null);
        if (next == null) {
            return false;
        }
        action.updatedAt = Instant.now();
        if (next == action.status) {
            return true; // e.g. a repeated fetch: nothing the poll shows has changed
        }
        boolean endsCurrent = action.status.isCurrent() && !next.isCurrent();
        action.status = next;
        if (endsCurrent) {
            // Flushed first: the partial unique index allows one current action per device.
            actions.flush();
            actions.queued(action.tenantId, action.controllerId).ifPresent(queued -> {
                queued.status = queued.status.next(ActionStatus.Trigger.PROMOTE).orElseThrow();
                queued.updatedAt = action.updatedAt;
            });
        }
        changes.changed(action.tenantId, action.controllerId);
        return true;
    }

    /** Withdraws an action the device never fetched, and says so. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void withdraw(DeviceAction action) {
        if (move(action, ActionStatus.Trigger.WITHDRAW)) {
            outbox.append(action.tenantId, ActionReports.canceled(action));
        }
    }
}
