package io.updraft.gateway.service;

import io.updraft.gateway.domain.ActionReports;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.Expiry;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Actions past their {@code expiresAt}: no longer offered, reported once as ActionExpired. Applied when a device asks
 * (poll, deploymentBase), so a device back after days is told nothing even between sweeps, and by {@link ExpirySweep}
 * for devices that never come back.
 */
@ApplicationScoped
public class ActionExpiry {
    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    ActionQueue queue;
    @Inject
    Outbox outbox;

    /** @return true if the action expired now or had already expired */
    @Transactional
    public boolean expireIfDue(String tenant, String controllerId, long actionId, Instant now) {
        Device device = devices.lock(tenant, controllerId).orElse(null);
        if (device == null) {
            return false;
        }
        return actions.ofDevice(tenant, controllerId, actionId)
                .map(action -> action.status == ActionStatus.EXPIRED || expire(device, action, now))
                .orElse(false);
    }

    /**
     * Caller holds the device row lock. Due at the action's expiresAt, or at its confirmBy while it still waits for
     * the device's confirmation (reported with that reason). @return true if the action expired now
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean expire(Device device, DeviceAction action, Instant now) {
        String reason = action.expiryReason(device.autoConfirm, now);
        if (!Expiry.isDue(action.dueAt(device.autoConfirm), now) || !queue.move(action, ActionStatus.Trigger.EXPIRE)) {
            return false;
        }
        outbox.append(action.tenantId, ActionReports.expired(action.install(), reason));
        return true;
    }

    /**
     * Expires up to {@code limit} due actions. Their devices' rows are locked first, as every other writer does;
     * devices busy in another transaction (or another replica's sweep) are skipped and taken by the next sweep.
     *
     * @return how many due actions this batch found
     */
    @Transactional
    public int sweepBatch(Instant now, int limit) {
        List<DeviceAction.Key> due = actions.lockDue(now, limit);
        for (DeviceAction.Key key : due) {
            DeviceAction action = actions.findById(key);
            expire(devices.byId(action.tenantId, action.controllerId), action, now);
        }
        return due.size();
    }
}
